"""Which report of an agency-year the panel takes: one rule, used by the build, the checks and the analysis.

One agency-year is often published several times (the HTML page and its PDF attachment, a
republication under another name). Adding them up counts it twice; so the panel takes the
most complete and consistent reading — most values read, then fewest failed error checks,
then, for a stable choice, the format preferred (`PREFERENCE`: formats whose text is read
directly before those rebuilt from a layout) and the path. The others are its alternates;
`dataset.alternate_disagrees` says where their values differ.

The agency key lives here only (`AGENCY_KEY`): the printed name until reports.parquet carries a
canonical `agency_id`, when switching is this one line.
"""

from __future__ import annotations

import pandas as pd

AGENCY_KEY = "agency"  # the reports column an agency-year is keyed on (→ "agency_id" once reports.parquet has it)
KEY = [AGENCY_KEY, "year"]
PREFERENCE = ("html", "txt", "docx", "xlsx", "xls", "doc", "rtf", "pdf")
RULE = "most values read, then fewest failed error checks, then format (" + " > ".join(PREFERENCE) + "), then path"
CHOICE_COLUMNS = ["report_id", *KEY, "chosen_because", "alternates"]


def placed(reports: pd.DataFrame) -> pd.DataFrame:
    """The reports an agency-year can be given to: those whose agency and year were found."""
    return reports[reports[AGENCY_KEY].notna() & reports["year"].notna()]


def _because(group: pd.DataFrame) -> str:
    """Why the first row of a ranked group won: the first criterion that tells it from the runner-up."""
    if len(group) == 1:
        return "the only report"
    first, second = group.iloc[0], group.iloc[1]
    for column, says in (("values_read", "most values read ({} vs {})"),
                         ("errors_failed", "fewest failed error checks ({} vs {})"),
                         ("format", "preferred format ({} over {})"), ("path", "first path ({} before {})")):
        if first[column] != second[column]:
            return f"{says.format(first[column], second[column])}; rule: {RULE}"
    return f"tie on every criterion; rule: {RULE}"


def choose(reports: pd.DataFrame) -> pd.DataFrame:
    """One row per agency-year: the chosen `report_id`, `chosen_because` and `alternates` (space-separated ids).

    `reports` needs report_id, the KEY columns, values_read, errors_failed, format and path
    (reports.parquet has them); reports without agency or year are left out (`placed`).
    """
    r = placed(reports).astype({"format": "string", "path": "string"}).fillna({"format": "", "path": ""})
    r = r.assign(_pref=r["format"].map({f: i for i, f in enumerate(PREFERENCE)}).fillna(len(PREFERENCE)))
    r = r.sort_values([*KEY, "values_read", "errors_failed", "_pref", "path", "report_id"],
                      ascending=[True, True, False, True, True, True, True], kind="stable")
    rows = [{"report_id": g["report_id"].iloc[0], AGENCY_KEY: k[0], "year": k[1], "chosen_because": _because(g),
             "alternates": " ".join(g["report_id"].iloc[1:])}
            for k, g in r.groupby(KEY, sort=False, observed=True)]
    return pd.DataFrame(rows, columns=CHOICE_COLUMNS)

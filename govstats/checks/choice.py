"""Which report of an agency-year the panel takes: one rule, used by the build, the checks and the analysis.

One agency-year is often published several times (the HTML page and its PDF attachment, a
republication under another name). Adding them up counts it twice; so the panel takes the
most complete and consistent reading — most values read, then fewest failed error checks,
then, for a stable choice, the format preferred (`PREFERENCE`: formats whose text is read
directly before those rebuilt from a layout) and the path. The others are its alternates;
`dataset.alternate_disagrees` says where their values differ.

An agency-year is keyed on the register's canonical `agency_id` (`govstats.dataset.resolve`), so
the names a body prints across years and formats (short, full, traditional) are one agency. A
report the register does not resolve keeps its printed name; when reports printing that name came
from more than one site, it is qualified by the host (`区统计局@61.150.65.235`): two unresolved
bodies that print the same short name on different sites never merge, one body whose fetch list
gave a URL for some years only is not split, and nothing is guessed. `keyed` adds the key
(`AGENCY_KEY`) and the name the panel shows for it (`PANEL_NAME`: the canonical name, or the key
when unresolved).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd

AGENCY_KEY = "agency_key"  # the agency an agency-year is keyed on (`keyed`)
PANEL_NAME = "panel_agency"  # the name shown for it
KEY = [AGENCY_KEY, "year"]
PREFERENCE = ("html", "txt", "docx", "xlsx", "xls", "doc", "rtf", "pdf")
RULE = "most values read, then fewest failed error checks, then format (" + " > ".join(PREFERENCE) + "), then path"
CHOICE_COLUMNS = ["report_id", *KEY, PANEL_NAME, "chosen_because", "alternates"]


def _host(url: object) -> str | None:
    """The host of a URL without `www.`; None when there is no URL (or it is not one)."""
    host = urlsplit(url).hostname if isinstance(url, str) and "//" in url else None
    return host.removeprefix("www.") if host else None


def keyed(reports: pd.DataFrame) -> pd.DataFrame:
    """The reports with AGENCY_KEY and PANEL_NAME (null when neither a register agency nor a name was found).

    Without the register's columns (reports put together from cells alone) the printed name is the key.
    """
    if AGENCY_KEY in reports.columns:
        return reports
    printed = reports["agency"].astype("string")
    hosts = reports["url"].map(_host).astype("string") if "url" in reports.columns else pd.Series(
        pd.NA, index=reports.index, dtype="string")
    sites = pd.DataFrame({"printed": printed, "host": hosts}).groupby("printed")["host"].nunique()
    shared = printed.map(sites).fillna(0).astype(int) > 1  # one name, several sites: several bodies
    unresolved = printed.where(~shared | hosts.isna(), printed + "@" + hosts)
    if "agency_id" not in reports.columns:
        return reports.assign(**{AGENCY_KEY: unresolved, PANEL_NAME: unresolved})
    resolved = reports["agency_id"].astype("string")
    return reports.assign(**{AGENCY_KEY: resolved.fillna(unresolved),
                             PANEL_NAME: reports["agency_name"].astype("string").where(resolved.notna(), unresolved)})


def placed(reports: pd.DataFrame) -> pd.DataFrame:
    """The reports an agency-year can be given to (`keyed`): those whose agency and year were found."""
    reports = keyed(reports)
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

    `reports` needs report_id, agency (and agency_id, agency_name, url: `keyed`), year, values_read,
    errors_failed, format and path (reports.parquet has them); reports without agency or year are left
    out (`placed`).
    """
    r = placed(reports).astype({"format": "string", "path": "string"}).fillna({"format": "", "path": ""})
    r = r.assign(_pref=r["format"].map({f: i for i, f in enumerate(PREFERENCE)}).fillna(len(PREFERENCE)))
    r = r.sort_values([*KEY, "values_read", "errors_failed", "_pref", "path", "report_id"],
                      ascending=[True, True, False, True, True, True, True], kind="stable")
    rows = [{"report_id": g["report_id"].iloc[0], AGENCY_KEY: k[0], "year": k[1], PANEL_NAME: g[PANEL_NAME].iloc[0],
             "chosen_because": _because(g), "alternates": " ".join(g["report_id"].iloc[1:])}
            for k, g in r.groupby(KEY, sort=False, observed=True)]
    return pd.DataFrame(rows, columns=CHOICE_COLUMNS)

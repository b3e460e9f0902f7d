"""What analysts open govstats for: counts, outcome composition, rates, comparisons.

Everything takes the tidy `cells` frame (one row per printed value, SCHEMA.md; a report's
`cells` or the dataset's concatenation) and returns pandas. Results are tidy, one row per
unit and metric, with the columns `metric`, `label`, `value`, `numerator`, `denominator`:
a rate always travels with what it divides, and is NaN — never 0 or inf — when the
denominator is 0 or a number it needs is missing. `wide`, `pivot`, `yoy` and `rank` reshape
and compare those frames.

A unit is a report (`by="report"`) or an agency-year (`by="agency_year"`).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from .. import schema
from ..checks.choice import PANEL_NAME, choose
from .labels import METRIC_LABELS

By = Literal["report", "agency_year"]
KEYS: dict[str, list[str]] = {"report": ["report_id", "agency", "year", "template"], "agency_year": ["agency", "year"]}
RESULT_COLUMNS = ["metric", "label", "value", "numerator", "denominator"]

Term = tuple[str, str, str]  # (table, row, column)
Spec = dict[str, tuple[tuple[Term, ...], tuple[Term, ...] | None]]  # metric -> (numerator, denominator)


def _req(*rows: str, column: str = "total") -> tuple[Term, ...]:
    return tuple(("requests", r, column) for r in rows)


def _rev(rows: tuple[str, ...], columns: tuple[str, ...]) -> tuple[Term, ...]:
    return tuple(("review", r, c) for r in rows for c in columns)


def _harmonised(rows: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys("other" if r in schema.OTHER_SUBROWS else r for r in rows))


# Outcome groups on the harmonised rows: 其他处理 is the one row `other` in every template.
GROUPS = {key: _harmonised(rows) for key, (_label, rows) in schema.OUTCOME_GROUPS.items()}
REASON_GROUPS = ("denied", "unavailable", "rejected")
_LITIGATION = ("litigation_direct", "litigation_after_review")
_SETTLED = ("upheld", "corrected", "other")
_PROCESSED = _req("total_processed")

# The headline metrics as data: numerator terms, and denominator terms (None for a count).
METRICS: Spec = {
    "received": (_req("new_received"), None),
    "carried_over": (_req("carried_over"), None),
    "processed": (_PROCESSED, None),
    "carried_forward": (_req("carried_forward"), None),
    **{key: (_req(*rows), None) for key, rows in GROUPS.items()},
    "disclosure_rate": (_req("granted", "partially_granted"), _PROCESSED),
    "grant_rate": (_req("granted"), _PROCESSED),
    "denial_rate": (_req(*GROUPS["denied"]), _PROCESSED),
    "not_held_rate": (_req("unavailable_not_held"), _PROCESSED),
    "unavailable_rate": (_req(*GROUPS["unavailable"]), _PROCESSED),
    "rejection_rate": (_req(*GROUPS["rejected"]), _PROCESSED),
    "other_rate": (_req("other"), _PROCESSED),
    "backlog_rate": (_req("carried_forward"), _req("new_received", "carried_over")),
    **{f"share_{c}": (_req("new_received", column=c), _req("new_received")) for c in schema.APPLICANT_COLUMNS},
    "review_cases": (_rev(("admin_review",), ("total",)), None),
    "review_pending": (_rev(("admin_review",), ("pending",)), None),
    "review_correction_rate": (_rev(("admin_review",), ("corrected",)), _rev(("admin_review",), _SETTLED)),
    "litigation_cases": (_rev(_LITIGATION, ("total",)), None),
    "litigation_pending": (_rev(_LITIGATION, ("pending",)), None),
    "litigation_correction_rate": (_rev(_LITIGATION, ("corrected",)), _rev(_LITIGATION, _SETTLED)),
    "correction_rate": (
        _rev(("admin_review",) + _LITIGATION, ("corrected",)),
        _rev(("admin_review",) + _LITIGATION, _SETTLED),
    ),
}


def _sort_keys(by: By) -> list[str]:
    """Agency, then year, first: the order analysts read results in."""
    return ["agency", "year"] + [k for k in KEYS[by] if k not in ("agency", "year")]


def ratio(part: pd.Series, whole: pd.Series) -> pd.Series:
    """part / whole, NaN (never 0 or inf) where whole is 0 or missing: the rule for every rate."""
    return part / whole.where(whole != 0)


def plain(cells: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns (as the dataset's parquet gives them) as plain values: no unobserved groups."""
    cats = {c: cells[c].cat.categories.dtype for c in cells.columns if isinstance(cells[c].dtype, pd.CategoricalDtype)}
    return cells.astype(cats) if cats else cells


def _strict_sum(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sum `value` per group; NaN if any part is NaN (a missing number is not a 0)."""
    g = df.assign(_nan=df["value"].isna()).groupby(by, sort=False, dropna=False)
    out = g.agg(value=("value", "sum"), _nan=("_nan", "any")).reset_index()
    out.loc[out["_nan"], "value"] = np.nan
    return out.drop(columns="_nan")


def one_per_agency_year(cells: pd.DataFrame, reports: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cells of one report per agency-year: the panel's choice (`checks.choice.choose`).

    Several reports of one agency-year are the same report in several formats (or a
    republication): adding them up would double-count. A panel (`Dataset.panel`) is already
    one per agency-year. Otherwise the panel's rule picks among the `ok` `reports` (their
    values_read, errors_failed, format and path); without `reports` it has only the cells to
    go on — the most values read, then the smallest report_id. Reports whose agency or year
    was not found cannot be placed and are left out. `agency` becomes the panel's name of the agency
    (`checks.choice.keyed`: the canonical name in every year, whatever each report printed).
    """
    cells = plain(cells)
    if "chosen_because" in cells.columns:
        return cells
    if reports is None:
        reports = cells.groupby("report_id", sort=False).agg(
            agency=("agency", "first"), year=("year", "first"), values_read=("value", "count")).reset_index()
        reports = reports.assign(errors_failed=0, format="", path="", status="ok")
    chosen = choose(reports[reports["status"] == "ok"]).astype({"report_id": str}).set_index("report_id")
    out = cells[cells["report_id"].astype(str).isin(chosen.index)]
    out = out.assign(agency=out["report_id"].astype(str).map(chosen[PANEL_NAME]).astype(object))
    if "synthetic" not in out.columns and "synthetic" in reports.columns:  # the reports know; so must what follows
        marks = reports.astype({"report_id": str}).set_index("report_id")["synthetic"].fillna(False).astype(bool)
        out = out.assign(synthetic=out["report_id"].astype(str).map(marks).fillna(False).astype(bool))
    return out


def harmonised_requests(cells: pd.DataFrame) -> pd.DataFrame:
    """Table `requests` with （六）其他处理 as the one row `other`, however the report printed it.

    The 2019 template prints one row, the 2021 template three sub-rows; rolled up, 2019–2024
    series compare. Unmapped rows are left out. Tidy: the cells columns that still apply.
    """
    cells = plain(cells)
    req = cells[(cells["table"] == "requests") & (cells["row"] != "unmapped")]
    sub = req["row"].isin(schema.OTHER_SUBROWS)
    header_over_subrows = (req["row"] == "other") & req["report_id"].isin(req.loc[sub, "report_id"])
    req = req[~header_over_subrows]
    req = req.assign(row=req["row"].mask(req["row"].isin(schema.OTHER_SUBROWS), "other"))
    out = _strict_sum(req, KEYS["report"] + _marked(req) + ["table", "row", "column"])
    rows = {r.key: schema.row_label("requests", "2021", r.key) for r in schema.REQUEST_ROWS
            if r.key not in schema.OTHER_SUBROWS}
    rows["other"] = schema.OUTCOME_GROUPS["other"][0]
    columns = {c.key: c.full_label for c in schema.REQUEST_COLUMNS}
    out = out.assign(row_label=out["row"].map(rows), column_label=out["column"].map(columns),
                     _r=out["row"].map({r: i for i, r in enumerate(rows)}),
                     _c=out["column"].map({c: i for i, c in enumerate(columns)}))
    out = out.sort_values(_sort_keys("report") + ["_r", "_c"], kind="stable")
    return out.drop(columns=["_r", "_c"]).reset_index(drop=True)


def _units(cells: pd.DataFrame, by: By) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(matrix, keys): numbers per report_id (harmonised requests + review), and each report's unit keys."""
    if by not in KEYS:
        raise ValueError(f"by must be one of {sorted(KEYS)}, not {by!r}")
    cells = one_per_agency_year(cells) if by == "agency_year" else plain(cells)
    review = cells[(cells["table"] == "review") & (cells["row"] != "unmapped")]
    both = pd.concat([harmonised_requests(cells), review[KEYS["report"] + ["table", "row", "column", "value"]]])
    matrix = both.groupby(["report_id", "table", "row", "column"])["value"].first().unstack(["table", "row", "column"])
    marked = _marked(cells)
    keys = cells[KEYS["report"] + marked].drop_duplicates("report_id").set_index("report_id", drop=False)
    return matrix.reindex(keys.index), keys[KEYS[by] + marked]


def _marked(frame: pd.DataFrame) -> list[str]:
    """["synthetic"] when the frame says which rows are generated samples: every frame derived from it says so too."""
    return ["synthetic"] if "synthetic" in frame.columns else []


def _total(matrix: pd.DataFrame, terms: tuple[Term, ...]) -> pd.Series:
    """Row sums of the terms; NaN where any term is missing."""
    cols = [matrix[t] if t in matrix.columns else pd.Series(np.nan, index=matrix.index) for t in terms]
    return pd.concat(cols, axis=1).sum(axis=1, skipna=False, min_count=1)


def _evaluate(cells: pd.DataFrame, spec: Spec, labels: dict[str, str], by: By) -> pd.DataFrame:
    """Evaluate metric specs per unit into the tidy result frame."""
    matrix, keys = _units(cells, by)
    frames = []
    for metric, (num_terms, den_terms) in spec.items():
        num = _total(matrix, num_terms)
        if den_terms is None:
            value, den = num, pd.Series(np.nan, index=matrix.index)
        else:
            den = _total(matrix, den_terms)
            value = ratio(num, den)
        frames.append(keys.assign(metric=metric, label=labels[metric], value=value, numerator=num,
                                  denominator=den))
    if not frames or keys.empty:
        return pd.DataFrame(columns=KEYS[by] + RESULT_COLUMNS + _marked(cells))
    out = pd.concat(frames).reset_index(drop=True)
    out["_m"] = out["metric"].map(list(spec).index)
    out = out.sort_values(_sort_keys(by) + ["_m"], kind="stable", na_position="last").drop(columns="_m")
    return out.reset_index(drop=True)[KEYS[by] + RESULT_COLUMNS + _marked(keys)]


def metrics(cells: pd.DataFrame, by: By = "report") -> pd.DataFrame:
    """The headline counts and rates (`METRICS`) per report or agency-year, tidy."""
    return _evaluate(cells, METRICS, METRIC_LABELS, by)


def outcomes(cells: pd.DataFrame, by: By = "report", column: str = "total") -> pd.DataFrame:
    """Outcome composition: each group of `schema.OUTCOME_GROUPS` as a share of （七）总计.

    `column` picks an applicant type (default: all applicants).
    """
    spec: Spec = {g: (_req(*rows, column=column), _req("total_processed", column=column)) for g, rows in GROUPS.items()}
    return _evaluate(cells, spec, METRIC_LABELS, by)


def reasons(cells: pd.DataFrame, group: str, by: By = "report", column: str = "total") -> pd.DataFrame:
    """Why requests ended in one group (不予公开's 8 reasons, 无法提供's 3, 不予处理's 5): share of the group."""
    if group not in REASON_GROUPS:
        raise ValueError(f"group must be one of {REASON_GROUPS}, not {group!r}")
    rows = GROUPS[group]
    spec: Spec = {r: (_req(r, column=column), _req(*rows, column=column)) for r in rows}
    return _evaluate(cells, spec, {r: reason_label(r) for r in rows}, by)


def reason_label(row: str) -> str:
    """The reason's own words, without the group heading and numbering ("1.属于国家秘密" → "属于国家秘密")."""
    label = next(r.label for r in schema.REQUEST_ROWS if r.key == row)
    return label.split(".", 1)[1] if label[:1].isdigit() else label


def includes_synthetic(reports: pd.DataFrame, cells: pd.DataFrame | None = None) -> bool:
    """True when any report (of those in `cells`, if given) is synthetic: plots must say so."""
    if cells is not None:
        reports = reports[reports["report_id"].isin(cells["report_id"])]
    return any_synthetic(reports)


def any_synthetic(frame: pd.DataFrame) -> bool:
    """True when the frame's `synthetic` column marks any row (a missing mark is not synthetic)."""
    return bool(frame["synthetic"].fillna(False).astype(bool).any())


# ------------------------------------------------------------------ reshaping and comparisons
def _unit_keys(frame: pd.DataFrame) -> list[str]:
    return KEYS["report"] if "report_id" in frame.columns else KEYS["agency_year"]


def wide(frame: pd.DataFrame, field: str = "value") -> pd.DataFrame:
    """One row per unit, one column per metric (in the frame's metric order)."""
    keys = _unit_keys(frame)
    out = frame.pivot(index=keys, columns="metric", values=field)[list(dict.fromkeys(frame["metric"]))]
    if _marked(frame):  # every column is a metric: the mark travels in attrs, as in `pivot`
        out.attrs["synthetic"] = any_synthetic(frame)
    return out


def pivot(frame: pd.DataFrame, metric: str, field: str = "value") -> pd.DataFrame:
    """Agency × year table of one metric (raises if a unit appears twice: use by='agency_year')."""
    sub = frame[frame["metric"] == metric]
    out = sub.pivot(index="agency", columns="year", values=field).sort_index(axis=1)
    if _marked(sub):  # a matrix has no room for a column: the mark travels in attrs
        out.attrs["synthetic"] = any_synthetic(sub)
    return out


def _check_agency_year(frame: pd.DataFrame) -> None:
    if frame.duplicated(["agency", "year", "metric"]).any():
        raise ValueError("several rows per agency, year and metric: compute with by='agency_year'")


def yoy(frame: pd.DataFrame, metric: str | None = None) -> pd.DataFrame:
    """Year-over-year change per agency: value, previous year's value, change, pct_change.

    `previous` is the value of exactly the year before (NaN across a gap); pct_change is NaN
    when the previous value is 0 or missing.
    """
    sub = frame if metric is None else frame[frame["metric"] == metric]
    _check_agency_year(sub)
    cols = ["agency", "year", "metric", "label", "value", *_marked(sub)]
    prev = sub[["agency", "year", "metric", "value"]].assign(year=sub["year"] + 1).rename(columns={"value": "previous"})
    out = sub[cols].merge(prev, on=["agency", "year", "metric"], how="left")
    out["change"] = out["value"] - out["previous"]
    out["pct_change"] = ratio(out["change"], out["previous"])
    return out.sort_values(["agency", "metric", "year"], kind="stable").reset_index(drop=True)


def rank(frame: pd.DataFrame, metric: str, peers: pd.DataFrame, by: str = "level",
         ascending: bool = False) -> pd.DataFrame:
    """Rank agencies on one metric within their peer group (same `by`, e.g. level or region) and year.

    `peers` is `govstats.agencies.classify(...)` output (agency, region, level, …). Rank 1 is
    the highest value unless `ascending`; ties share the best rank; NaN values are not ranked,
    and `peers_ranked` counts the agencies that were.
    """
    sub = frame[frame["metric"] == metric]
    _check_agency_year(sub)
    sub = sub[["agency", "year", "metric", "label", "value", *_marked(sub)]]
    sub = sub.merge(peers[["agency", by]], on="agency", how="left")
    groups = sub.groupby([by, "year"], dropna=False)["value"]
    sub["rank"] = groups.rank(method="min", ascending=ascending)
    sub["peers_ranked"] = groups.transform("count")
    return sub.sort_values([by, "year", "rank"], kind="stable", na_position="last").reset_index(drop=True)


def is_rate(metric: str) -> bool:
    """A metric with a denominator (shown as a percentage); counts have none."""
    spec = METRICS.get(metric)
    return spec is None or spec[1] is not None


__all__ = [
    "GROUPS", "METRICS", "REASON_GROUPS", "any_synthetic", "harmonised_requests", "includes_synthetic", "is_rate",
    "metrics", "one_per_agency_year", "outcomes", "pivot", "rank", "reason_label", "reasons", "wide", "yoy",
]

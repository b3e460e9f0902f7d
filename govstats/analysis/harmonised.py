"""One series per measure across the 2019 break: legacy 统计表 figures before, national tables after.

The crosswalk (`schema.legacy_crosswalk`, data in `schema/data/legacy_crosswalk.csv`) says which
legacy indicators count each harmonised measure and which 2019+ cells do. `harmonised_series`
reads them from a panel (or any cells frame with `agency_id` or `agency`): a year before 2019 is
the sum of the measure's legacy indicators the report prints (its year's column `value`, from the
统计表 or stated in a sentence), a year from 2019 the sum of its national cells (NaN when one is
missing). Every year from 2008 on gets a row, NaN where no report was read, and the row of 2019
carries `definition_break`: the definitions differ (收到申请数 vs 本年新收, …), so a jump there may be
the change of definition, not of behaviour.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema.sentences import legacy_crosswalk

FIRST_YEAR = 2008  # the first year of the 政府信息公开条例
BREAK_YEAR = 2019  # the national tables of 国办公开办函〔2019〕60号
LAST_YEAR = 2025
SERIES_COLUMNS = ["agency_id", "year", "measure", "value", "basis", "definition_break", "difference"]


def measures() -> dict[str, tuple[tuple[str, ...], tuple[tuple[str, str, str], ...], str]]:
    """measure → (its legacy keys, its national cells, the definition difference in words), in crosswalk order."""
    out: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str, str], ...], str]] = {}
    for c in legacy_crosswalk():
        if c.measure:
            keys, cells, words = out.get(c.measure, ((), c.national, c.difference))
            out[c.measure] = ((*keys, c.legacy), cells, words)
    return out


def _strict_sum(values: pd.Series, need: int) -> float:
    return float(values.sum()) if values.notna().sum() == need else float("nan")


def harmonised_series(panel: pd.DataFrame, measure: str, agency: str | None = None) -> pd.DataFrame:
    """Per agency, one row per year 2008–2025 (or later, if read): the measure's value, its basis and the break.

    basis: `legacy` (sum of the legacy indicators printed), `national` (sum of the 2019+ cells) or ``
    where no report of that year was read.
    """
    table = measures()
    if measure not in table:
        raise ValueError(f"unknown measure {measure!r}: one of {', '.join(table)}")
    legacy_keys, national, difference = table[measure]
    key = "agency_id" if "agency_id" in panel.columns else "agency"
    p = panel if agency is None else panel[panel[key] == agency]
    p = p.assign(agency_id=p[key].astype(str), year=p["year"].astype("Int64"),
                 table=p["table"].astype(str), row=p["row"].astype(str), column=p["column"].astype(str))
    old = p[(p["table"] == "legacy") & p["row"].isin(legacy_keys) & (p["column"] == "value") & (p["year"] < BREAK_YEAR)]
    old = old.drop_duplicates(["agency_id", "year", "row"])  # a figure stated twice counts once
    before = old.groupby(["agency_id", "year"])["value"].sum(min_count=1).to_frame().assign(basis="legacy")
    cells = pd.MultiIndex.from_tuples(national, names=["table", "row", "column"])
    new = p[(p["year"] >= BREAK_YEAR) & pd.MultiIndex.from_frame(p[["table", "row", "column"]]).isin(cells)]
    new = new.drop_duplicates(["agency_id", "year", "table", "row", "column"])
    after = new.groupby(["agency_id", "year"])["value"].agg(_strict_sum, need=len(national)).to_frame()
    after = after.assign(basis="national")
    agencies = sorted(set(p["agency_id"]))
    last = max([LAST_YEAR, *p["year"].dropna().astype(int)])
    grid = pd.MultiIndex.from_product([agencies, range(FIRST_YEAR, last + 1)], names=["agency_id", "year"])
    out = pd.concat([before, after]).reindex(grid).reset_index()
    out["basis"] = out["basis"].fillna("")
    out["value"] = out["value"].astype(float)
    return out.assign(measure=measure, definition_break=out["year"] == BREAK_YEAR,
                      difference=np.where(out["year"] == BREAK_YEAR, difference, ""))[SERIES_COLUMNS]

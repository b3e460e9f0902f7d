"""Checks across reports: unplaced reports, two reports for one agency-year, the panel's alternates
that disagree with its choice, and carried_forward → carried_over.

Each is a row of checks.parquet with `report_id` and `related_report_id`, so a failure
names both reports; the message names both files. A dataset rule is registered like a
report's own (`registry.rule`, scope DATASET): called with the reports read (`ok`;
`choice.placed` keeps those with agency and year) and the path of cells.parquet, it returns a
frame of findings that `dataset_checks` stamps with its id.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import schema
from ..schema import outputs
from ..schema.enums import Severity, Status
from .choice import AGENCY_KEY, KEY, PANEL_NAME, choose, keyed, placed
from .registry import Scope, rule, rules
from .rules import TOLERANCE

if TYPE_CHECKING:
    import pyarrow as pa

FINDING = ["report_id", "related_report_id", "message"]


def _failures(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Findings that are failures by being listed (FINDING columns per row)."""
    return pd.DataFrame(rows, columns=FINDING).assign(passed=False)


def _values(cells: Path, columns: list[str], filters: list[tuple[str, str, object]]) -> pd.DataFrame:
    """The printed numbers of cells.parquet selected by `filters`: `columns` (keys as str) and `value`."""
    import pyarrow.parquet as pq

    t = pq.read_table(cells, columns=[*columns, "value"], filters=filters)
    return t.to_pandas().astype(dict.fromkeys(columns, str)).dropna(subset=["value"])


def _compared(p: pd.DataFrame, expected: str, related: str, describe: Callable[[Any], str], *,
              table: object, row: object) -> pd.DataFrame:
    """One finding per row of p: its `value` == its `expected` within TOLERANCE; `describe(row)` words a failure."""
    passed = (p["value"] - p[expected]).abs() <= TOLERANCE
    message = pd.Series("", index=p.index, dtype=object)
    message[~passed] = [describe(r) for r in p[~passed].itertuples()]
    return pd.DataFrame({"report_id": p["report_id"], "passed": passed, "table": table, "row": row,
                         "column": p["column"], "expected": p[expected], "found": p["value"], "message": message,
                         "related_report_id": p[related]})


@rule("dataset.unplaced", Severity.WARNING, scope=Scope.DATASET,
      en="the report's agency and year were found (a report without them is not in the panel)",
      zh="报告的机关和年度均已识别（未识别的报告不进入机关-年度面板）")
def _unplaced(read: pd.DataFrame, cells: Path) -> pd.DataFrame:
    """One failure per read report the panel cannot place: listed, never silently dropped."""
    read = keyed(read)
    out = read[read[KEY].isna().any(axis=1)].sort_values("path")
    words = {AGENCY_KEY: "agency", "year": "year"}
    missing = [" and ".join(words[k] for k in KEY if pd.isna(r[k])) for _, r in out.iterrows()]
    rows = [{"report_id": rid, "related_report_id": None, "message": f"not in the panel: no {what} found in {path}"}
            for rid, what, path in zip(out["report_id"], missing, out["path"], strict=True)]
    return _failures(rows)


@rule("dataset.same_agency_year", Severity.WARNING, scope=Scope.DATASET,
      en="one report per agency and year (several: the panel takes one, the others are its alternates)",
      zh="同一机关同一年度只有一份报告（有多份时面板选用一份，其余为备选）")
def _same_agency_year(read: pd.DataFrame, cells: Path) -> pd.DataFrame:
    """One failure per report that shares its agency and year with another (cells keeps them all; the panel one)."""
    ok = placed(read)
    dup = ok[ok.duplicated(KEY, keep=False)].sort_values([*KEY, "path"])
    rows = []
    for (_, year), group in dup.groupby(KEY, sort=True):
        msg = (f"{len(group)} reports for {group[PANEL_NAME].iloc[0]} {year}: {', '.join(group['path'])}; "
               "the panel takes one (panel.chosen_because), the others are its alternates")
        ids = list(group["report_id"])
        rows += [{"report_id": rid, "related_report_id": ids[1] if rid == ids[0] else ids[0], "message": msg}
                 for rid in ids]
    return _failures(rows)


@rule("dataset.alternate_disagrees", Severity.WARNING, scope=Scope.DATASET,
      en="an alternate report of an agency-year prints the same values as the one the panel chose, per cell",
      zh="同一机关同一年度的其他版本与面板选用的报告数值一致（逐格）")
def _alternate_disagrees(read: pd.DataFrame, cells: Path) -> pd.DataFrame:
    """Per alternate and cell both print a number for: the alternate's value == the chosen report's."""
    choice = choose(read)
    pairs = pd.DataFrame([(alt, rid) for rid, alts in zip(choice["report_id"], choice["alternates"], strict=True)
                          for alt in alts.split()], columns=["report_id", "chosen"])
    if pairs.empty:
        return pd.DataFrame(columns=[*FINDING, "passed"])
    ids = list(pairs["report_id"]) + list(pairs["chosen"])
    where = ["table", "row", "column"]
    v = _values(cells, ["report_id", *where], [("report_id", "in", ids)])
    v = v[(v["row"] != "unmapped") & (v["column"] != "unmapped")]
    v = v[~v.duplicated(["report_id", *where], keep=False)]  # a key a report prints twice (legacy prose) cannot pair
    p = pairs.merge(v, on="report_id").merge(v.rename(columns={"report_id": "chosen"}), on=["chosen", *where],
                                               suffixes=("", "_chosen"))
    paths = read.set_index("report_id")["path"]
    return _compared(p, "value_chosen", "chosen", lambda r: (
        f"{r.table}.{r.row}.{r.column}: {r.value:g} in {paths[r.report_id]} but {r.value_chosen:g} in "
        f"{paths[r.chosen]}, the report the panel chose"), table=p["table"], row=p["row"])


@rule("dataset.carried_over", Severity.WARNING, scope=Scope.DATASET,
      en="carried_over of year N+1 == carried_forward of year N, per agency and column",
      zh="本年“二、上年结转”=上年“四、结转下年度继续办理”（同一机关，每列）")
def _carried_over(read: pd.DataFrame, cells: Path) -> pd.DataFrame:
    """Per agency and column: carried_over of year N+1 == carried_forward of year N."""
    ok = placed(read)
    v = _values(cells, ["report_id", "row", "column"],
                [("table", "==", "requests"), ("row", "in", ["carried_over", "carried_forward"])])
    meta = ok[["report_id", *KEY, PANEL_NAME, "path"]]
    after = v[v["row"] == "carried_over"].merge(meta, on="report_id")
    before = v[v["row"] == "carried_forward"].merge(meta, on="report_id").assign(year=lambda d: d["year"] + 1)
    p = after.merge(before.drop(columns=PANEL_NAME), on=[*KEY, "column"], suffixes=("", "_before"))
    p["order"] = p["column"].map(schema.COLUMN_ORDER["requests"].index)
    p = p.sort_values([*KEY, "path", "path_before", "order"], ignore_index=True)
    return _compared(p, "value_before", "report_id_before", lambda r: (
        f"{getattr(r, PANEL_NAME)}, {r.column}: carried_over {r.value:g} in {r.year} ({r.path}) "
        f"but carried_forward {r.value_before:g} in {r.year - 1} ({r.path_before})"),
        table="requests", row="carried_over")


def dataset_checks(cells: Path, reports: pd.DataFrame) -> pa.Table:
    """The cross-report checks of a built dataset (its cells.parquet and reports frame), rule by rule."""
    import pyarrow as pa

    read = keyed(reports[reports["status"] == Status.OK])
    found = [r.evaluate(read, cells).assign(rule=r.id, severity=r.severity)  # type: ignore[misc]
             for r in rules(Scope.DATASET)]
    arrow = outputs.CHECKS.arrow(plain=True)
    rows = pd.concat(found, ignore_index=True).reindex(columns=arrow.names)
    return pa.Table.from_pandas(rows, schema=arrow, preserve_index=False)

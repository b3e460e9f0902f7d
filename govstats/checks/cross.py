"""Checks across reports: two reports for one agency-year, and carried_forward → carried_over.

Each is a row of checks.parquet with `report_id` and `related_report_id`, so a failure
names both reports; the message names both files. A dataset rule is registered like a
report's own (`registry.rule`, scope DATASET): called with the reports read and the path
of cells.parquet, it returns a frame of findings that `dataset_checks` stamps with its id.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .. import schema
from ..schema import outputs
from ..schema.enums import Severity, Status
from .registry import Scope, rule, rules
from .rules import TOLERANCE

if TYPE_CHECKING:
    import pyarrow as pa

KEY = ["agency", "year"]


@rule("dataset.same_agency_year", Severity.WARNING, scope=Scope.DATASET,
      en="one report per agency and year (one warning per report when several are kept apart)",
      zh="同一机关同一年度只有一份报告（有多份时分别保留）")
def _same_agency_year(ok: pd.DataFrame, cells: Path) -> pd.DataFrame:
    """One failure per report that shares its agency and year with another (kept apart, not merged)."""
    dup = ok[ok.duplicated(KEY, keep=False)].sort_values([*KEY, "path"])
    rows = []
    for (agency, year), group in dup.groupby(KEY, sort=True):
        msg = f"{len(group)} reports for {agency} {year}, kept apart: {', '.join(group['path'])}"
        ids = list(group["report_id"])
        rows += [{"report_id": rid, "related_report_id": ids[1] if rid == ids[0] else ids[0], "message": msg}
                 for rid in ids]
    return pd.DataFrame(rows, columns=["report_id", "related_report_id", "message"]).assign(passed=False)


@rule("dataset.carried_over", Severity.WARNING, scope=Scope.DATASET,
      en="carried_over of year N+1 == carried_forward of year N, per agency and column",
      zh="本年“二、上年结转”=上年“四、结转下年度继续办理”（同一机关，每列）")
def _carried_over(ok: pd.DataFrame, cells: Path) -> pd.DataFrame:
    """Per agency and column: carried_over of year N+1 == carried_forward of year N."""
    import pyarrow.parquet as pq

    t = pq.read_table(cells, columns=["report_id", "row", "column", "value"],
                      filters=[("table", "==", "requests"), ("row", "in", ["carried_over", "carried_forward"])])
    v = t.to_pandas().astype({"report_id": str, "row": str, "column": str}).dropna(subset=["value"])
    meta = ok[["report_id", *KEY, "path"]]
    after = v[v["row"] == "carried_over"].merge(meta, on="report_id")
    before = v[v["row"] == "carried_forward"].merge(meta, on="report_id").assign(year=lambda d: d["year"] + 1)
    p = after.merge(before, on=[*KEY, "column"], suffixes=("", "_before"))
    p["order"] = p["column"].map(schema.COLUMN_ORDER["requests"].index)
    p = p.sort_values([*KEY, "path", "path_before", "order"], ignore_index=True)
    passed = (p["value"] - p["value_before"]).abs() <= TOLERANCE
    p["message"] = ""
    p.loc[~passed, "message"] = [
        f"{r.agency}, {r.column}: carried_over {r.value:g} in {r.year} ({r.path}) "
        f"but carried_forward {r.value_before:g} in {r.year - 1} ({r.path_before})" for r in p[~passed].itertuples()]
    return pd.DataFrame({
        "report_id": p["report_id"], "passed": passed, "table": "requests", "row": "carried_over",
        "column": p["column"], "expected": p["value_before"], "found": p["value"], "message": p["message"],
        "related_report_id": p["report_id_before"],
    })


def dataset_checks(cells: Path, reports: pd.DataFrame) -> pa.Table:
    """The cross-report checks of a built dataset (its cells.parquet and reports frame), rule by rule."""
    import pyarrow as pa

    ok = reports[(reports["status"] == Status.OK) & reports["agency"].notna() & reports["year"].notna()]
    found = [r.evaluate(ok, cells).assign(rule=r.id, severity=r.severity)  # type: ignore[misc]
             for r in rules(Scope.DATASET)]
    arrow = outputs.CHECKS.arrow(plain=True)
    rows = pd.concat(found, ignore_index=True).reindex(columns=arrow.names)
    return pa.Table.from_pandas(rows, schema=arrow, preserve_index=False)

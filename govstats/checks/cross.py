"""Checks across reports: two reports for one agency-year, and carried_forward → carried_over.

Each is a row of checks.parquet with `report_id` and `related_report_id`, so a failure
names both reports; the message names both files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import schema
from .rules import TOLERANCE
from ..dataset.cache import CHECKS_PLAIN  # FIXME layer

KEY = ["agency", "year"]


def _same_agency_year(ok: pd.DataFrame) -> pd.DataFrame:
    """One warning per report that shares its agency and year with another (kept apart, not merged)."""
    dup = ok[ok.duplicated(KEY, keep=False)].sort_values([*KEY, "path"])
    rows = []
    for (agency, year), group in dup.groupby(KEY, sort=True):
        msg = f"{len(group)} reports for {agency} {year}, kept apart: {', '.join(group['path'])}"
        ids = list(group["report_id"])
        rows += [{"report_id": rid, "related_report_id": ids[1] if rid == ids[0] else ids[0], "message": msg}
                 for rid in ids]
    return pd.DataFrame(rows, columns=["report_id", "related_report_id", "message"]).assign(
        rule="dataset.same_agency_year", severity="warning", passed=False)


def _carried_over(ok: pd.DataFrame, cells: Path) -> pd.DataFrame:
    """Per agency and column: carried_over of year N+1 == carried_forward of year N."""
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
        "report_id": p["report_id"], "rule": "dataset.carried_over", "severity": "warning", "passed": passed,
        "table": "requests", "row": "carried_over", "column": p["column"], "expected": p["value_before"],
        "found": p["value"], "message": p["message"], "related_report_id": p["report_id_before"],
    })


def dataset_checks(cells: Path, reports: pd.DataFrame) -> pa.Table:
    """The cross-report checks of a built dataset (its cells.parquet and reports frame)."""
    ok = reports[(reports["status"] == "ok") & reports["agency"].notna() & reports["year"].notna()]
    rows = pd.concat([_same_agency_year(ok), _carried_over(ok, cells)], ignore_index=True)
    return pa.Table.from_pandas(rows.reindex(columns=CHECKS_PLAIN.names), schema=CHECKS_PLAIN, preserve_index=False)

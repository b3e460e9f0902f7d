"""How long `govstats.export_excel` takes for 1,000 reports (target: under 30 s).

The dataset is assembled directly from `govstats.synthetic` values (no files are parsed),
with the column types `govstats.load` returns, and every tenth report made to fail a check.

    .venv/bin/python benchmarks/bench_export.py [N_REPORTS]
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from govstats import schema
from govstats.checks import run_checks
from govstats.dataset import Dataset
from govstats.export import export_csv, export_excel
from govstats.parse.tables import Value
from govstats.report import CELL_COLUMNS
from govstats.testing import synthetic

YEARS = (2019, 2020, 2021, 2022, 2023)
PLACES = ("浙江省杭州市", "江苏省淮安市", "广东省深圳市", "四川省成都市")
OFFICES = ("人民政府", "交通运输局", "财政局", "自然资源和规划局", "市场监督管理局")


def report_frames(n: int, seed: int) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """Cells, the report row and the checks of one generated report."""
    agency = f"{PLACES[n % len(PLACES)]}第{n // 25}区{OFFICES[(n // len(YEARS)) % len(OFFICES)]}"
    year = YEARS[n % len(YEARS)]
    rep = synthetic.make_report(seed, agency, year)
    if n % 10 == 0:
        rep.values[("requests", "total_processed", "natural_person")] += 1  # a failing 勾稽 check
    report_id = hashlib.sha256(f"{agency}{year}".encode()).hexdigest()[:16]
    keys = list(rep.values)
    name = f"{report_id}.html"
    cells = pd.DataFrame({
        "report_id": report_id, "agency": agency, "year": year, "template": rep.template,
        "table": [k[0] for k in keys], "row": [k[1] for k in keys], "column": [k[2] for k in keys],
        "value": [float(rep.values[k]) for k in keys], "flag": "",
        "row_label": [schema.row_label(t, rep.template, r) for t, r, _c in keys],
        "column_label": [schema.column_label(t, rep.template, c) for t, _r, c in keys],
        "printed": [f"{rep.values[k]:g}" for k in keys],
        "source": [f"{name} table {schema.TABLES.index(k[0]) + 1} r{i + 3}c2" for i, k in enumerate(keys)],
    }, columns=CELL_COLUMNS)
    checks = run_checks([Value(t, r, c, v, "", None) for (t, r, c), v in rep.values.items()], [], rep.template,
                        agency, year).assign(report_id=report_id)
    meta = {"report_id": report_id, "agency": agency, "year": year, "template": rep.template, "format": "html",
            "path": f"synthetic/{name}", "sha256": report_id * 4, "bytes": 12_000, "pages": None, "seconds": 0.05,
            "status": "ok", "error": None, "synthetic": True, "url": None, "title": rep.title}
    return cells, meta, checks


def dataset(reports: int) -> Dataset:
    """A dataset of `reports` generated reports, typed like `govstats.load`'s."""
    parts = [report_frames(n, seed=n) for n in range(reports)]
    cells = pd.concat([p[0] for p in parts], ignore_index=True)
    checks = pd.concat([p[2] for p in parts], ignore_index=True)
    text = [c for c in CELL_COLUMNS if c not in ("year", "value", "printed", "source")]
    cells = cells.astype({**dict.fromkeys(text, "category"), "year": "Int64"})
    frame = pd.DataFrame([p[1] for p in parts]).astype({"year": "Int64", "bytes": "Int64", "pages": "Int64"})
    return Dataset(cells, frame, checks.astype({c: "category" for c in ("report_id", "rule", "severity")}))


def main(reports: int = 1000) -> None:
    ds = dataset(reports)
    print(f"{reports} reports, {len(ds.cells):,} cells")
    with tempfile.TemporaryDirectory() as tmp:
        for label, run in [
            ("export_excel", lambda: export_excel(ds, Path(tmp) / "all.xlsx")),
            ("export_excel per_report", lambda: export_excel(ds, Path(tmp) / "per.xlsx", per_report=True)),
            ("export_csv", lambda: export_csv(ds, Path(tmp) / "csv")),
        ]:
            start = time.perf_counter()
            run()
            print(f"{label}: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)

"""How long `govstats.export_excel` takes for 1,000 reports (target: under 30 s).

The dataset is assembled directly from `govstats.synthetic` values (no files are parsed),
with the column types `govstats.load` returns, and every tenth report made to fail a check.

    .venv/bin/python benchmarks/bench_export.py [N_REPORTS] [--baseline [ROUNDS]]

--baseline also times the writer of commit BASELINE (it spliced XML into openpyxl's private
sheet file) on the same dataset, checked out from git into a temporary directory, and prints
the ratio new / baseline, the best of ROUNDS (3) alternating runs of each: in wall-clock
seconds and in the process's CPU seconds, which other work on a shared machine disturbs less.
"""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from unittest import mock

import pandas as pd

from govstats import schema
from govstats.checks import run_checks
from govstats.dataset import Dataset
from govstats.export import export_csv, export_excel
from govstats.parse.tables import Value
from govstats.report import CELL_COLUMNS
from govstats.testing import synthetic

export_tables = importlib.import_module("govstats.export.tables")  # the package's `tables` is a function
BASELINE = "61c6059"
ROOT = Path(__file__).resolve().parent.parent
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
            "status": "ok", "error": None, "synthetic": True, "url": None, "title": rep.title,
            "values_read": len(keys),  # what the panel chooses a report of an agency-year by
            "errors_failed": int(((checks["severity"] == "error") & ~checks["passed"].astype(bool)).sum())}
    return cells, meta, checks


def dataset(reports: int) -> Dataset:
    """A dataset of `reports` generated reports, typed like `govstats.load`'s."""
    parts = [report_frames(n, seed=n) for n in range(reports)]
    cells = pd.concat([p[0] for p in parts], ignore_index=True)
    checks = pd.concat([p[2] for p in parts], ignore_index=True)
    text = [c for c in CELL_COLUMNS if c not in ("year", "value", "printed", "source")]
    cells = cells.astype({**dict.fromkeys(text, "category"), "year": "Int64"})
    frame = pd.DataFrame([p[1] for p in parts]).astype({"year": "Int64", "bytes": "Int64", "pages": "Int64",
                                                             "values_read": "Int64", "errors_failed": "Int64"})
    return Dataset(cells, frame, checks.astype({c: "category" for c in ("report_id", "rule", "severity")}))


def baseline_writer(tmp: Path) -> Callable[..., None]:
    """`write_workbook` as it was at BASELINE, loaded as a module of govstats.export (for its relative imports)."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{BASELINE}:govstats/export/xlsx.py"],
                            capture_output=True, text=True, check=True).stdout
    path = tmp / "baseline_xlsx.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("govstats.export.baseline_xlsx", path)
    assert spec is not None and spec.loader is not None
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module.write_workbook


def _seconds(run: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def compare(ds: Dataset, tmp: Path, rounds: int = 3) -> None:
    """Baseline and current writer side by side on one dataset, alternating, best of `rounds` each."""
    writers = {"baseline": baseline_writer(tmp), "current": export_tables.write_workbook}
    for label, per_report in (("export_excel", False), ("export_excel per_report", True)):
        best = dict.fromkeys(writers, (float("inf"), float("inf")))
        for _ in range(rounds):
            for name, writer in writers.items():
                with mock.patch.object(export_tables, "write_workbook", writer):
                    seconds = _seconds(partial(export_excel, ds, tmp / f"{name}.xlsx", per_report=per_report))
                best[name] = (min(best[name][0], seconds[0]), min(best[name][1], seconds[1]))
        for i, clock in enumerate(("wall", "cpu")):
            old, new = best["baseline"][i], best["current"][i]
            print(f"{label} ({clock}): baseline {old:.1f} s, current {new:.1f} s, ratio {new / old:.2f}")


def main(reports: int = 1000, baseline: int = 0) -> None:
    ds = dataset(reports)
    print(f"{reports} reports, {len(ds.cells):,} cells")
    with tempfile.TemporaryDirectory() as tmp:
        if baseline:
            compare(ds, Path(tmp), baseline)
            return
        for label, run in [
            ("export_excel", lambda: export_excel(ds, Path(tmp) / "all.xlsx")),
            ("export_excel per_report", lambda: export_excel(ds, Path(tmp) / "per.xlsx", per_report=True)),
            ("export_csv", lambda: export_csv(ds, Path(tmp) / "csv")),
        ]:
            start = time.perf_counter()
            run()
            print(f"{label}: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    args = sys.argv[1:]
    rounds = 0
    if "--baseline" in args:
        at = args.index("--baseline")
        rounds = int(args.pop(at + 1)) if at + 1 < len(args) and args[at + 1].isdigit() else 3
        args.pop(at)
    main(int(args[0]) if args else 1000, baseline=rounds)

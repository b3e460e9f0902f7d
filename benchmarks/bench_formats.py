"""Seconds per report for each format, and PDF against pdfplumber on every page.

Generates reports with govstats.synthetic, renders them in every format (PDF and DOC
through LibreOffice from the DOCX), and times `read_report` on one core. For PDF it also
times the baseline — pdfplumber's `extract_tables()` on every page — on the same files
in the same run, and reports the ratio.

    .venv/bin/python benchmarks/bench_formats.py [--reports 6] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pdfplumber

import govstats
from govstats.testing import office as render_office
from govstats.testing import synthetic

ROOT = Path(__file__).resolve().parents[1]
HUAIAN = ROOT / "data" / "raw" / "corpus" / "huaian-shizhengfu-2024.pdf"


def make_files(out: Path, n: int) -> dict[str, list[Path]]:
    files: dict[str, list[Path]] = {f: [] for f in ("html", "txt", "docx", "xlsx", "xls", "pdf", "doc")}
    for i in range(n):
        template, year = ("2021", 2021 + i % 4) if i % 2 else ("2019", 2019 + i % 2)
        rep = synthetic.make_report(i, f"示例县第{i}局", year, template)
        stem = out / f"r{i}"
        stem.with_suffix(".html").write_text(synthetic.render_html(rep), "utf-8")
        stem.with_suffix(".txt").write_text(synthetic.render_text(rep, "layout"), "utf-8")
        files["html"].append(stem.with_suffix(".html"))
        files["txt"].append(stem.with_suffix(".txt"))
        files["docx"].append(render_office.render_docx(rep, stem.with_suffix(".docx")))
        files["xlsx"].append(render_office.render_xlsx(rep, stem.with_suffix(".xlsx")))
        files["xls"].append(render_office.render_xls(rep, stem.with_suffix(".xls")))
        for fmt in ("pdf", "doc"):
            converted = out / fmt
            converted.mkdir(exist_ok=True)
            files[fmt].append(render_office.convert_with_soffice(stem.with_suffix(".docx"), fmt, converted))
    files["pdf"].append(HUAIAN)
    return files


def median_seconds(fn, paths: list[Path], repeat: int) -> float:
    times = []
    for path in paths:
        for _ in range(repeat):
            start = time.perf_counter()
            fn(path)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def pdfplumber_every_page(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=6, help="generated reports per format")
    parser.add_argument("--repeat", type=int, default=3, help="timed reads of each file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = make_files(Path(tmp), args.reports)
        for paths in files.values():  # warm imports and caches outside the timings
            govstats.read_report(paths[0])
        print(f"{'format':8}{'files':>6}{'median s/report':>18}")
        for fmt, paths in files.items():
            print(f"{fmt:8}{len(paths):>6}{median_seconds(govstats.read_report, paths, args.repeat):>18.4f}")
        ours = median_seconds(govstats.read_report, files["pdf"], args.repeat)
        base = median_seconds(pdfplumber_every_page, files["pdf"], args.repeat)
        huaian_ours = median_seconds(govstats.read_report, [HUAIAN], args.repeat * 3)
        huaian_base = median_seconds(pdfplumber_every_page, [HUAIAN], args.repeat * 3)
        print(f"\nPDF, all files: read_report {ours:.4f} s, pdfplumber extract_tables on every page {base:.4f} s "
              f"-> {base / ours:.1f}x faster")
        print(f"Huai'an 2024 (6 pages): read_report {huaian_ours:.4f} s, baseline {huaian_base:.4f} s "
              f"-> {huaian_base / huaian_ours:.1f}x faster")


if __name__ == "__main__":
    main()

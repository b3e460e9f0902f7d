"""Seconds per report for each format, each against its floor, measured in one run.

The floors are what no reader of that format can skip: parsing the HTML with lxml (for the
HTML and the text renderings of the same reports, issue 18's yardstick), and PDFium's
characters and boxes of every page (for PDFs). DOC/WPS are timed inside a build of
`--docs` files, where each worker keeps one LibreOffice running (the target: ≤ 0.5 s a
document), against one-shot `soffice` conversions of the same files.

    .venv/bin/python benchmarks/bench_formats.py [--reports 6] [--repeat 3] [--docs 50]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pypdfium2

import govstats
from govstats.testing import office as render_office
from govstats.testing import synthetic

ROOT = Path(__file__).resolve().parents[1]
HUAIAN = ROOT / "data" / "raw" / "corpus" / "huaian-shizhengfu-2024.pdf"
TARGETS = {"html": 6.0, "txt": 6.0, "pdf": 2.5}  # issue 18: ratio to the floor at most


def reports(n: int) -> list[synthetic.SyntheticReport]:
    return [synthetic.make_report(i, f"示例县第{i}局", *((2021 + i % 4, "2021") if i % 2 else (2019 + i % 2, "2019")))
            for i in range(n)]


def make_files(out: Path, reps: list[synthetic.SyntheticReport]) -> dict[str, list[Path]]:
    files: dict[str, list[Path]] = {f: [] for f in ("html", "txt", "docx", "xlsx", "xls", "pdf")}
    for i, rep in enumerate(reps):
        stem = out / f"r{i}"
        stem.with_suffix(".html").write_text(synthetic.render_html(rep), "utf-8")
        stem.with_suffix(".txt").write_text(synthetic.render_text(rep, "layout"), "utf-8")
        files["html"].append(stem.with_suffix(".html"))
        files["txt"].append(stem.with_suffix(".txt"))
        files["docx"].append(render_office.render_docx(rep, stem.with_suffix(".docx")))
        files["xlsx"].append(render_office.render_xlsx(rep, stem.with_suffix(".xlsx")))
        files["xls"].append(render_office.render_xls(rep, stem.with_suffix(".xls")))
        files["pdf"].append(render_office.convert_with_soffice(stem.with_suffix(".docx"), "pdf", out / "pdf"))
    files["pdf"].append(HUAIAN)
    return files


def median_seconds(fn: Callable[[Path], object], paths: list[Path], repeat: int) -> float:
    times = []
    for path in paths:
        for _ in range(repeat):
            start = time.perf_counter()
            fn(path)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def lxml_parse(path: Path) -> None:
    lxml.html.fromstring(path.read_bytes())


def pdfium_chars(path: Path) -> None:
    """Every character of every page with its box: the least a PDF text-layer reader does."""
    pdf = pypdfium2.PdfDocument(path)
    for page in pdf:
        text = page.get_textpage()
        text.get_text_range()
        for i in range(text.count_chars()):
            text.get_charbox(i)
    pdf.close()


def doc_build(reps: list[synthetic.SyntheticReport], tmp: Path) -> tuple[float, float]:
    """Seconds per DOC inside a build of these reports as DOC files, and per one-shot conversion."""
    docx = tmp / "docx"
    docx.mkdir(parents=True)
    sources = [render_office.render_docx(rep, docx / f"d{i:03d}.docx") for i, rep in enumerate(reps)]
    raw = tmp / "raw"
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed (make system-deps)"
    # One soffice run converts them all: making the fixtures, not the thing timed.
    subprocess.run([soffice, "--headless", "--convert-to", "doc", "--outdir", str(raw), *map(str, sources)],
                   check=True, capture_output=True, timeout=1200)
    start = time.perf_counter()
    summary = govstats.build(raw, tmp / "out", progress=False)
    per_doc = (time.perf_counter() - start) / len(reps)
    assert summary.failed == 0 and summary.read == len(reps), summary
    once = median_seconds(govstats.read_report, sorted(raw.glob("*.doc"))[:3], 1)
    return per_doc, once


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=6, help="generated reports per format")
    parser.add_argument("--repeat", type=int, default=3, help="timed reads of each file")
    parser.add_argument("--docs", type=int, default=50, help="DOC files in the timed build (0: skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = make_files(Path(tmp), reports(args.reports))
        for paths in files.values():  # warm imports and caches outside the timings
            govstats.read_report(paths[0])
        floors = {"html": (lxml_parse, files["html"], "lxml parse of the HTML"),
                  "txt": (lxml_parse, files["html"], "lxml parse of the HTML"),
                  "pdf": (pdfium_chars, files["pdf"], "PDFium chars + boxes")}
        print("| format | files | govstats s/report | floor | floor s | ratio | target |")
        print("|---|---:|---:|---|---:|---:|---:|")
        for fmt, paths in files.items():
            ours = median_seconds(govstats.read_report, paths, args.repeat)
            if fmt in floors:
                fn, floor_paths, name = floors[fmt]
                base = median_seconds(fn, floor_paths, args.repeat)
                print(f"| {fmt} | {len(paths)} | {ours:.4f} | {name} | {base:.5f} | {ours / base:.1f}x | "
                      f"≤ {TARGETS[fmt]:g}x |")
            else:
                print(f"| {fmt} | {len(paths)} | {ours:.4f} | — | — | — | — |")
        ours = median_seconds(govstats.read_report, [HUAIAN], args.repeat * 3)
        base = median_seconds(pdfium_chars, [HUAIAN], args.repeat * 3)
        print(f"| Huai'an 2024 PDF | 1 | {ours:.4f} | PDFium chars + boxes | {base:.5f} | {ours / base:.1f}x "
              "| ≤ 2.5x |")
        if args.docs:
            per_doc, once = doc_build(reports(args.docs), Path(tmp) / "docs")
            print(f"| doc, in a build of {args.docs} | {args.docs} | {per_doc:.3f} | one-shot soffice | {once:.3f} | "
                  f"{per_doc / once:.2f}x | ≤ 0.5 s |")


if __name__ == "__main__":
    main()

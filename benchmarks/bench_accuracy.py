"""How exactly govstats reads reports back, in every rendering it can make, as Markdown tables.

Generates reports with known values (`govstats.testing.accuracy.corpus`: both templates, five
agencies, years 2019–2025, half of them with blank cells), renders each in every registered
rendering (`govstats.testing.renderings`: HTML, text styles, DOCX, XLSX, XLS, and through
LibreOffice PDF, DOC, RTF and `pdftotext -layout` of the PDF), and pre-2019 reports (a 2014–2018
统计表 in HTML, text, DOCX and PDF; figures stated only in sentences, in HTML, text and DOCX; all beside
sentences with dates, document numbers and counts of other things), and reads it back. Prints, per
rendering, cell precision / recall / F1 and the share of right agency, year and template; then
the same reports with one value changed so an identity breaks: the share caught by a failed
check, how many consistent reports fail a check, and how many request figures were read that the
report does not state (false prose readings, goal 0).

    .venv/bin/python benchmarks/bench_accuracy.py [--seeds 40] [--quick] [--fast-only] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from govstats.testing import accuracy, renderings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=40,
                        help="generated reports (each also read with an injected error)")
    parser.add_argument("--quick", action="store_true", help="a small corpus: 8 reports")
    parser.add_argument("--fast-only", action="store_true", help="leave out the LibreOffice renderings")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="reports read in parallel")
    args = parser.parse_args()
    seeds = range(8 if args.quick else args.seeds)
    names = renderings.names(slow=not args.fast_only)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-accuracy-") as tmp:
        readings = accuracy.run(seeds, names, Path(tmp), jobs=args.jobs)
    print(accuracy.markdown(accuracy.score(readings)))
    print(f"\n{len(seeds)} reports × {len(names)} renderings, each also with one injected inconsistency; "
          f"{time.perf_counter() - start:.0f} s with {args.jobs} jobs")


if __name__ == "__main__":
    main()

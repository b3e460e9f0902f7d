"""`govstats review DIR -o review.html`: a static page of every failed check, with pictures and correction lines."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from ..limits import LIMITS
from .common import Subcommands, command


def add_parser(sub: Subcommands) -> argparse.ArgumentParser:
    p = command(sub, "review", "build the reports below DIR and write one HTML page listing the reports with failed "
                "checks: each failure's numbers, their picture in the source and a line for corrections.csv", """
        govstats review data/raw -o review.html
        govstats review data/raw --out data/processed --warnings -o review.html
    """)
    p.add_argument("raw_dir", type=Path, metavar="DIR", help="folder of reports (a build's RAW_DIR)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="review.html", help="the page to write")
    p.add_argument("--out", type=Path, help="build into (and reuse) this output directory, as `govstats build "
                   "--out` (default: a temporary one)")
    p.add_argument("--warnings", action="store_true", help="list failed warnings too, not only errors")
    p.add_argument("--jobs", type=int, help="worker processes for the build (default: every core)")
    return p


def run(args: argparse.Namespace) -> int:
    from ..dataset import load
    from ..dataset.pipeline import build
    from ..export.review import review_html
    from ..schema.enums import Severity
    from ..util.atomic import atomic_write

    severities = (Severity.ERROR, Severity.WARNING) if args.warnings else (Severity.ERROR,)
    with tempfile.TemporaryDirectory(prefix="govstats-review-") as scratch:
        out = args.out or Path(scratch)
        build(args.raw_dir, out, jobs=args.jobs, timeout=LIMITS.read_timeout, progress=False)
        page = review_html(load(out), args.raw_dir, severities=severities)
    with atomic_write(args.output) as tmp:
        tmp.write_text(page, "utf-8")
    print(f"wrote {args.output}: {page.count('<h2>')} reports with failed checks")
    return 0

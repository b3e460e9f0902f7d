"""`govstats build`: every report below a raw folder into one dataset (parquet + DuckDB)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..limits import LIMITS
from .common import Subcommands, command


def add_parser(sub: Subcommands) -> argparse.ArgumentParser:
    p = command(sub, "build", "read every report below RAW_DIR into one dataset (parquet + DuckDB)", """
        govstats build                                  # data/raw -> data/processed
        govstats build data/raw --out /tmp/dataset --jobs 2 --strict
        govstats build data/raw --scheduler tcp://10.0.0.5:8786
    """)
    p.add_argument("raw_dir", nargs="?", default="data/raw", type=Path, metavar="RAW_DIR",
                   help="folder searched recursively for reports (default data/raw)")
    p.add_argument("--out", default="data/processed", type=Path, help="output directory (default data/processed)")
    p.add_argument("--jobs", type=int, help="worker processes (default: every core)")
    p.add_argument("--timeout", type=float, default=LIMITS.read_timeout, help="seconds allowed per file")
    p.add_argument("--strict", action="store_true", help="exit 1 when any file failed")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="read on this Dask cluster (govstats[dask])")
    return p


def run(args: argparse.Namespace) -> int:
    from ..dataset.pipeline import build  # itself cheap when nothing changed: see its docstring

    result = build(args.raw_dir, args.out, jobs=args.jobs, timeout=args.timeout, scheduler=args.scheduler)
    print(result.summary)
    return 1 if args.strict and result.failed else 0

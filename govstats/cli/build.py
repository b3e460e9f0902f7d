"""The `govstats build` command."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..dataset.pipeline import build
from ..limits import LIMITS


def _cmd_build(args: argparse.Namespace) -> int:
    result = build(args.raw_dir, args.out, jobs=args.jobs, timeout=args.timeout, scheduler=args.scheduler)
    print(result.summary)
    return 1 if args.strict and result.failed else 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="read every report below RAW_DIR into one dataset (parquet + DuckDB)")
    p.add_argument("raw_dir", nargs="?", default="data/raw", type=Path)
    p.add_argument("--out", default="data/processed", type=Path, help="output directory (default data/processed)")
    p.add_argument("--jobs", type=int, help="worker processes (default: every core)")
    p.add_argument("--timeout", type=float, default=LIMITS.read_timeout, help="seconds allowed per file")
    p.add_argument("--strict", action="store_true", help="exit 1 when any file failed")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="read on this Dask cluster (govstats[dask])")
    p.set_defaults(func=_cmd_build)

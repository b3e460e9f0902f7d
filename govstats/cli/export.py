"""`govstats export`: a built dataset as an Excel workbook (and CSV files) for researchers."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import Subcommands, built_dataset, command


def _years(text: str) -> list[int]:
    """A year (2021) or an inclusive range (2019-2021)."""
    first, _, last = text.partition("-")
    try:
        return list(range(int(first), int(last or first) + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year or a range of years: {text!r}") from None


def add_parser(sub: Subcommands) -> argparse.ArgumentParser:
    p = command(sub, "export", "write a built dataset as an Excel workbook (and CSV files) for researchers", """
        govstats export reports.xlsx                    # from data/processed
        govstats export zhejiang.xlsx /tmp/dataset --region 浙江 --year 2019-2022 --per-report
        govstats export all.xlsx --csv csv/
    """)
    p.add_argument("out", type=Path, metavar="OUT.xlsx", help="the workbook to write")
    p.add_argument("dir", nargs="?", default=Path("data/processed"), type=Path, metavar="DIR",
                   help="the built dataset (default data/processed)")
    p.add_argument("--agency", action="append", default=[], help="agency name contains this (repeatable)")
    p.add_argument("--year", action="extend", type=_years, default=[], help="year or range, e.g. 2019-2021")
    p.add_argument("--region", action="append", default=[], help="province-level region, e.g. 浙江 (repeatable)")
    p.add_argument("--real-only", action="store_true", help="leave out the generated samples (synthetic data)")
    p.add_argument("--per-report", action="store_true", help="add one sheet per report, laid out as printed")
    p.add_argument("--csv", type=Path, metavar="DIR", help="also write the tables as CSV files into DIR")
    return p


def run(args: argparse.Namespace) -> int:
    from ..dataset import load
    from ..export import export_csv, export_excel

    built_dataset(args.dir)
    dataset = load(args.dir, real_only=args.real_only)
    filters = {"agency": args.agency, "year": args.year, "region": args.region}
    path = export_excel(dataset, args.out, per_report=args.per_report, directory=args.dir, **filters)
    print(f"wrote {path}")
    if args.csv:
        written = export_csv(dataset, args.csv, source=args.dir, **filters)
        print(f"wrote {len(written)} CSV files to {args.csv}")
    return 0

"""`govstats read FILE`: one report's tables and failed checks."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import GovstatsError
from .common import Subcommands, command

TABLES = ("active", "requests", "review")


def add_parser(sub: Subcommands) -> argparse.ArgumentParser:
    p = command(sub, "read", "read one report and print its tables and failed checks", """
        govstats read data/raw/corpus/huaian-shizhengfu-2024.pdf
        govstats read report.docx | less -S
    """)
    p.add_argument("file", type=Path, help="one report file (HTML, text, PDF, Word, Excel, …)")
    return p


def run(args: argparse.Namespace) -> int:
    if args.file.is_dir():
        raise GovstatsError(args.file, "is a directory; `govstats demo DIR` reads every report below one")
    import pandas as pd

    from ..report import read_report

    report = read_report(args.file)
    print(report)
    with pd.option_context("display.width", 200, "display.max_rows", 500, "display.max_columns", 20):
        for table in TABLES:
            if (report.cells["table"] == table).any():
                print(f"\n[{table}]")
                print(report.table(table).to_string())
        failed = report.checks[~report.checks["passed"]]
        print(f"\nchecks: {len(report.checks)} evaluated, {len(failed)} not passed")
        if len(failed):
            print(failed[["rule", "severity", "table", "row", "column", "message"]].to_string(index=False))
    return 0 if report.ok else 1

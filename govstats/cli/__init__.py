"""The `govstats` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from .._version import __version__
from ..errors import GovstatsError
from ..formats import report_files
from . import explain
from .build import add_commands as add_dataset_commands
from .fetch import add_commands as add_fetch_commands
from ..report import read_report
from .export import add_commands as add_export_commands

def _cmd_read(args: argparse.Namespace) -> int:
    report = read_report(args.file)
    print(report)
    with pd.option_context("display.width", 200, "display.max_rows", 500, "display.max_columns", 20):
        for table in ("active", "requests", "review"):
            if (report.cells["table"] == table).any():
                print(f"\n[{table}]")
                print(report.table(table).to_string())
        failed = report.checks[~report.checks["passed"]]
        print(f"\nchecks: {len(report.checks)} evaluated, {len(failed)} not passed")
        if len(failed):
            print(failed[["rule", "severity", "table", "row", "column", "message"]].to_string(index=False))
    return 0 if report.ok else 1


def _cmd_demo(args: argparse.Namespace) -> int:
    files = report_files(Path(args.dir))
    print(f"Reading {len(files)} reports from {args.dir}\n")
    rows = []
    for path in files:
        try:
            r = read_report(path)
        except GovstatsError as exc:
            rows.append({"file": str(path.relative_to(args.dir)), "status": "error", "error": exc.reason})
            continue
        errors = int((~r.checks["passed"] & (r.checks["severity"] == "error")).sum())
        rows.append({
            "file": str(path.relative_to(args.dir)), "status": "ok", "format": r.format, "agency": r.agency or "—",
            "year": r.year, "template": r.template, "cells": len(r.cells),
            "blank→0": int((r.cells["flag"] == "blank").sum()), "failed checks": errors,
        })
    table = pd.DataFrame(rows).fillna("")
    with pd.option_context("display.width", 200, "display.max_rows", 1000, "display.max_colwidth", 40):
        print(table.to_string(index=False))
    ok = sum(1 for r in rows if r["status"] == "ok")
    print(f"\n{ok} of {len(rows)} reports read; {sum(r.get('cells', 0) for r in rows)} cells.")
    print("Look at one: .venv/bin/govstats read data/raw/corpus/huaian-shizhengfu-2024.pdf")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="govstats",
        description="Turn 政府信息公开工作年度报告 (HTML, text, PDF, Word, Excel) into tidy, checked data.",
    )
    parser.add_argument("--version", action="version", version=f"govstats {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("read", help="read one report and print its tables and failed checks")
    p.add_argument("file", type=Path)
    p.set_defaults(func=_cmd_read)
    p = sub.add_parser("demo", help="read every report below DIR and print a summary")
    p.add_argument("dir", nargs="?", default="data/raw", type=Path)
    p.set_defaults(func=_cmd_demo)
    add_export_commands(sub)
    add_fetch_commands(sub)
    add_dataset_commands(sub)
    explain.add_parser(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except GovstatsError as exc:
        print(f"govstats: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

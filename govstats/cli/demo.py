"""`govstats demo [DIR]`: read every report below a folder and print one summary line each."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import GovstatsError
from .common import Subcommands, command


def add_parser(sub: Subcommands) -> argparse.ArgumentParser:
    p = command(sub, "demo", "read every report below DIR and print a summary", """
        govstats demo
        govstats demo data/raw/synthetic
    """)
    p.add_argument("dir", nargs="?", default="data/raw", type=Path,
                   help="folder searched recursively for reports (default data/raw)")
    return p


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..formats import report_files
    from ..report import read_report

    files = report_files(Path(args.dir))
    print(f"Reading {len(files)} reports from {args.dir}\n")
    rows: list[dict[str, Any]] = []
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

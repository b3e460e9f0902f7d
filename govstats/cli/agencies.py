"""`govstats agencies`: per report of a built dataset, which register agency it is and why (or why not)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import GovstatsError
from .common import Subcommands, built_dataset, command

SHOWN = ["path", "agency", "agency_id", "agency_name", "agency_level", "agency_parent", "division_code",
         "agency_source", "agency_note", "overrides"]


def add_parser(sub: Subcommands) -> argparse.ArgumentParser:
    p = command(sub, "agencies", "show, per report of a built dataset, the agency resolved and why", """
        govstats agencies                               # data/processed
        govstats agencies /tmp/dataset --unresolved     # only what no override, manifest, name or site named
        govstats agencies --csv agencies.csv            # the same table as CSV
    """)
    p.add_argument("dir", nargs="?", default=Path("data/processed"), type=Path, metavar="OUT",
                   help="the built dataset (default data/processed)")
    p.add_argument("--unresolved", action="store_true", help="only the reports without a register agency")
    p.add_argument("--csv", type=Path, metavar="FILE", help="write the table to FILE instead of printing it")
    return p


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    base = built_dataset(args.dir)
    reports = pd.read_parquet(base / "reports.parquet")
    if "agency_id" not in reports:
        raise GovstatsError(args.dir, "built before the agency register; run `govstats build` again")
    table = reports[SHOWN].sort_values("path", ignore_index=True)
    if args.unresolved:
        table = table[table["agency_id"].isna()]
    if args.csv:
        table.to_csv(args.csv, index=False)
        print(f"wrote {len(table)} rows to {args.csv}")
        return 0
    for row in table.fillna("").itertuples(index=False):
        named = (f"{row.agency_id} {row.agency_name} [{row.agency_level}, parent {row.agency_parent or '-'}, "
                 f"division {row.division_code}] by {row.agency_source}") if row.agency_id else "UNRESOLVED"
        print(f"{row.path}: printed {row.agency or '-'} → {named}\n    {row.agency_note}"
              + (f"\n    overrides: {row.overrides}" if row.overrides else ""))
    resolved = int(reports["agency_id"].notna().sum())
    print(f"{resolved} of {len(reports)} reports resolved to a register agency")
    return 0

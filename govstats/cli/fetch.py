"""`govstats fetch --list CSV`: download the reports of a list into data/raw."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import downloads
from .common import Subcommands, command


def add_parser(sub: Subcommands) -> argparse.ArgumentParser:
    p = command(sub, "fetch", "download the reports of a list (CSV: agency,year,url) into data/raw", """
        govstats fetch --list data/sources/known_reports.csv
        govstats fetch --list mine.csv --out /tmp/raw --interval 2 --revalidate
    """)
    p.add_argument("--list", type=Path, required=True, help="CSV with columns agency, year, url (others kept)")
    downloads.add_options(p)
    return p


def run(args: argparse.Namespace) -> int:
    from ..fetch import read_list

    jobs = read_list(args.list)
    with downloads.fetcher(args) as f:
        return downloads.report(f.fetch_list(jobs), args.out)

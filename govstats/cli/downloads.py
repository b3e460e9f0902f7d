"""What `govstats fetch` and `govstats crawl` share: the politeness options, the fetcher, the exit code.

The politeness defaults are `fetch.client.Policy`'s (an option not given is not passed), not
repeated here, so building the parser does not import the HTTP client.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..fetch import Fetcher, Summary

# option dest -> Policy field
_POLICY = {"interval": "interval", "per_host": "per_host", "timeout": "timeout", "retries": "retries",
           "backoff": "backoff", "max_bytes": "max_bytes", "allow_private_hosts": "allow_private"}


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=Path("data/raw"), help="raw directory (default data/raw)")
    p.add_argument("--interval", type=float, help="seconds between requests to one host")
    p.add_argument("--per-host", type=int, help="requests in flight to one host")
    p.add_argument("--workers", type=int, default=4, help="reports fetched in parallel (default 4)")
    p.add_argument("--timeout", type=float, help="connect/read timeout in seconds")
    p.add_argument("--retries", type=int, help="retries after timeouts, resets, 429 and 5xx")
    p.add_argument("--backoff", type=float, help="first retry delay in seconds (doubles)")
    p.add_argument("--max-bytes", type=int, help="largest file accepted")
    p.add_argument("--allow-private-hosts", action="store_true", default=None,
                   help="allow private, loopback and link-local addresses (local test servers)")
    p.add_argument("--revalidate", action="store_true",
                   help="ask the server whether files already fetched changed (conditional GET)")


def fetcher(args: argparse.Namespace) -> Fetcher:
    """A Fetcher with the Policy the options describe."""
    from ..fetch import Fetcher, Policy

    given = {field: getattr(args, dest) for dest, field in _POLICY.items() if getattr(args, dest) is not None}
    return Fetcher(args.out, Policy(**given), revalidate=args.revalidate, workers=args.workers)


def report(summary: Summary, out: Path) -> int:
    """Print the outcome; exit 1 when any report failed."""
    print(f"{summary}\nmanifest: {out / 'manifest.csv'}")
    return 1 if summary.failed else 0

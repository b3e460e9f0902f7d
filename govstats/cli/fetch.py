"""`govstats fetch` and `govstats crawl`: argument parsing only; the work is in `run`."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..fetch.client import Policy
from ..fetch.platforms import PLATFORMS
from ..fetch.run import Fetcher, Summary, read_list


def _common(p: argparse.ArgumentParser) -> None:
    d = Policy()
    p.add_argument("--out", type=Path, default=Path("data/raw"), help="raw directory (default data/raw)")
    p.add_argument("--interval", type=float, default=d.interval, help="seconds between requests to one host")
    p.add_argument("--per-host", type=int, default=d.per_host, help="requests in flight to one host")
    p.add_argument("--workers", type=int, default=4, help="reports fetched in parallel")
    p.add_argument("--timeout", type=float, default=d.timeout, help="connect/read timeout in seconds")
    p.add_argument("--retries", type=int, default=d.retries, help="retries after timeouts, resets, 429 and 5xx")
    p.add_argument("--backoff", type=float, default=d.backoff, help="first retry delay in seconds (doubles)")
    p.add_argument("--max-bytes", type=int, default=d.max_bytes, help="largest file accepted")
    p.add_argument("--allow-private-hosts", action="store_true",
                   help="allow private, loopback and link-local addresses (local test servers)")
    p.add_argument("--revalidate", action="store_true",
                   help="ask the server whether files already fetched changed (conditional GET)")


def _fetcher(args: argparse.Namespace) -> Fetcher:
    policy = Policy(interval=args.interval, per_host=args.per_host, timeout=args.timeout, retries=args.retries,
                    backoff=args.backoff, max_bytes=args.max_bytes, allow_private=args.allow_private_hosts)
    return Fetcher(args.out, policy, revalidate=args.revalidate, workers=args.workers)


def _report(summary: Summary, out: Path) -> int:
    print(f"{summary}\nmanifest: {out / 'manifest.csv'}")
    return 1 if summary.failed else 0


def _cmd_fetch(args: argparse.Namespace) -> int:
    jobs = read_list(args.list)
    with _fetcher(args) as f:
        return _report(f.fetch_list(jobs), args.out)


def _cmd_crawl(args: argparse.Namespace) -> int:
    with _fetcher(args) as f:
        return _report(f.crawl(args.url, args.platform, args.max_pages, args.agency), args.out)


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `fetch` and `crawl` on the govstats command line."""
    p = sub.add_parser("fetch", help="download the reports of a list (CSV: agency,year,url) into data/raw")
    p.add_argument("--list", type=Path, required=True, help="CSV with columns agency, year, url (others kept)")
    _common(p)
    p.set_defaults(func=_cmd_fetch)
    p = sub.add_parser("crawl", help="download every annual report listed on a site's report list page")
    p.add_argument("url", help="the list page (gkmlpt: …/gkmlpt/index#CATEGORY)")
    p.add_argument("--platform", choices=["auto", *PLATFORMS], default="auto")
    p.add_argument("--max-pages", type=int, default=50, help="list pages to walk at most")
    p.add_argument("--agency", default="", help="agency for items whose title does not start with one")
    _common(p)
    p.set_defaults(func=_cmd_crawl)

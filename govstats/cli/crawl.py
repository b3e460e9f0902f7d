"""`govstats crawl URL`: download every annual report a site's report list page links to."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from . import downloads
from .common import Subcommands, command


class _Platforms:
    """The --platform choices, `auto` and the adapters' names, looked up (lxml and all) only when needed."""

    def _names(self) -> list[str]:
        from ..fetch.platforms import PLATFORMS

        return ["auto", *PLATFORMS]

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())


def add_parser(sub: Subcommands) -> argparse.ArgumentParser:
    p = command(sub, "crawl", "download every annual report listed on a site's report list page", """
        govstats crawl https://www.example.gov.cn/zwgk/zfxxgknb/index.html
        govstats crawl 'https://www.example.gov.cn/dept/gkmlpt/index#2877' --platform gkmlpt --max-pages 5
    """)
    p.add_argument("url", help="the list page (gkmlpt: …/gkmlpt/index#CATEGORY)")
    p.add_argument("--platform", choices=_Platforms(), default="auto", metavar="PLATFORM",
                   help="how the site lists its reports: %(choices)s (default auto: detected from the page)")
    p.add_argument("--max-pages", type=int, default=50, help="list pages to walk at most")
    p.add_argument("--agency", default="", help="agency for items whose title does not start with one")
    downloads.add_options(p)
    return p


def run(args: argparse.Namespace) -> int:
    with downloads.fetcher(args) as f:
        return downloads.report(f.crawl(args.url, args.platform, args.max_pages, args.agency), args.out)

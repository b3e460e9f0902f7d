"""The `govstats` command line: one module per command (see `common`), assembled here.

Building the parser imports no data library, so `govstats --help` is quick; a command's
`run` imports what it needs.
"""

from __future__ import annotations

import argparse
import os
import sys

from .._version import __version__
from ..errors import GovstatsError
from . import agencies, build, crawl, demo, explain, export, fetch, read, review, show

COMMANDS = (read, demo, explain, show, build, review, export, fetch, crawl, agencies)


def parser() -> argparse.ArgumentParser:
    """The whole command line: every module of COMMANDS adds its subcommand, run by its `run`."""
    p = argparse.ArgumentParser(
        prog="govstats",
        description="Turn 政府信息公开工作年度报告 (HTML, text, PDF, Word, Excel) into tidy, checked data.",
        epilog="`govstats COMMAND --help` shows a command's options and examples.",
    )
    p.add_argument("--version", action="version", version=f"govstats {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.add_parser(sub).set_defaults(run=module.run)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code = args.run(args)
        sys.stdout.flush()  # here, so that a closed pipe is met below rather than at exit
    except GovstatsError as exc:
        print(f"govstats: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader went away (`govstats read FILE | head`): stop quietly, and send what Python
        # still flushes at exit to /dev/null instead of into another BrokenPipeError
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())

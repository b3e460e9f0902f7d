"""What every command module shares: how a subcommand's parser is made.

A command is a module in this package with `add_parser(sub)` (arguments only: cheap, so
`govstats --help` loads no data library) and `run(args) -> exit code` (which imports what
the command needs). `govstats.cli.COMMANDS` lists the modules.
"""

from __future__ import annotations

import argparse
import textwrap


def command(sub: argparse._SubParsersAction, name: str, summary: str, examples: str) -> argparse.ArgumentParser:
    """A subcommand parser whose --help ends with `examples` (one command line per example, kept as written)."""
    return sub.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".",
                          epilog="examples:\n" + textwrap.indent(textwrap.dedent(examples).strip(), "  "),
                          formatter_class=argparse.RawDescriptionHelpFormatter)

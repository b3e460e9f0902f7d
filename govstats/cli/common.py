"""What every command module shares: how a subcommand's parser is made.

A command is a module in this package with `add_parser(sub)` (arguments only: cheap, so
`govstats --help` loads no data library) and `run(args) -> exit code` (which imports what
the command needs). `govstats.cli.COMMANDS` lists the modules.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path
from typing import Any, Protocol

from ..errors import GovstatsError


class Subcommands(Protocol):
    """What `ArgumentParser.add_subparsers()` returns, as far as a command module needs it (its class is private)."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


def command(sub: Subcommands, name: str, summary: str, examples: str) -> argparse.ArgumentParser:
    """A subcommand parser whose --help ends with `examples` (one command line per example, kept as written)."""
    return sub.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".",
                          epilog="examples:\n" + textwrap.indent(textwrap.dedent(examples).strip(), "  "),
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def built_dataset(directory: Path) -> Path:
    """The directory holding the dataset published in `directory` (its current build); an error when none is."""
    from ..dataset import generations

    base = generations.current(directory) or directory
    if not (base / "reports.parquet").exists():
        raise GovstatsError(directory, "no built dataset here; run `govstats build` first")
    return base

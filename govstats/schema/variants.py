"""The known label variants, read from data: one line per printed variant, with an example.

`data/label_variants.csv` holds, for every row of every table, the regular expressions
(on normalised text, see `govstats.normalize.normalize_label`) that recognise its printed
label, each beside a real example of the text it covers and where that example is printed.
`data/header_cells.csv` does the same for the header cells the official tables print.
Adding a variant is adding a line: the row patterns are built from these files, and
tests/test_label_variants.py checks every example against the parser's matching rule.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Variant:
    """One printed form of a label: the pattern that recognises it and a real example."""

    pattern: str
    example: str
    source: str  # the file the example is printed in ("" if no report in the corpus prints it)
    note: str
    table: str = ""  # "" for a header cell
    key: str = ""


def _read(name: str) -> tuple[Variant, ...]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return tuple(Variant(**line) for line in csv.DictReader(text.splitlines()))


@cache
def label_variants() -> tuple[Variant, ...]:
    """Every row-label variant, in file order."""
    return _read("label_variants.csv")


@cache
def legacy_variants() -> tuple[Variant, ...]:
    """Every indicator-label variant of the pre-2019 统计表 (`data/legacy_variants.csv`), in file order."""
    return _read("legacy_variants.csv")


@cache
def header_variants() -> tuple[Variant, ...]:
    """Every header-cell variant, in file order."""
    return _read("header_cells.csv")


def alternation(patterns: list[str]) -> str:
    """One regular expression of the distinct patterns, in order (lines may share a pattern)."""
    return "|".join(dict.fromkeys(patterns))


def row_patterns() -> dict[tuple[str, str], str]:
    """(table, key) → the alternation of that row's variant patterns, in file order."""
    by_row: dict[tuple[str, str], list[str]] = {}
    for v in label_variants() + legacy_variants():
        by_row.setdefault((v.table, v.key), []).append(v.pattern)
    return {row: alternation(patterns) for row, patterns in by_row.items()}


def header_cells() -> tuple[str, ...]:
    """The header-cell patterns, distinct, in file order."""
    return tuple(dict.fromkeys(v.pattern for v in header_variants()))

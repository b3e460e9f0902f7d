"""Generated reports written as Markdown, the way PDF and Word converters write them.

A pipe table has no merged cells and one header row, so converters bend the printed
tables to fit. A merged cell is always written once with the positions it covers left
empty (that is how a rectangular pipe table keeps its columns: `一、本年新收… |  |  | 5`
leaves two empty cells between the label and its values). The other bends are quirks
that can be switched on alone:

- `pieces`: each table is broken in two by a `### ` heading, the continuing piece with an
  empty header row of its own (as a table broken by a page comes out);
- `bold_title`: the title is a bold paragraph `**…**` instead of a `#` heading.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..documents.model import lay_out
from ..schema import LayoutRow
from .synthetic import OUTRO, SyntheticReport, _fmt, intro, layouts

QUIRKS = ("pieces", "bold_title")
PAGE_HEADING = "（续表）"  # the heading a converter makes of a page's running head between two pieces


def _cells(rep: SyntheticReport, row: LayoutRow) -> list[tuple[str, int, int]]:
    return [*row.labels, *((_fmt(rep, k), 1, row.value_colspan) for k in row.keys)]


def _grid(rep: SyntheticReport, layout: list[LayoutRow]) -> list[list[str]]:
    """The table as rectangular rows of cell texts, each merged cell's text at its first position."""
    rows = [_cells(rep, lr) for lr in layout]
    placed = lay_out(rows, lambda cell: (cell[1], cell[2]))
    width = max(c for _, c in placed) + 1
    return [[placed[(r, c)][0][0] if placed.get((r, c), (None, False))[1] else "" for c in range(width)]
            for r in range(len(rows))]


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _table(rows: list[list[str]]) -> list[str]:
    """A pipe table: the first row is its header row, then the delimiter row."""
    return [_pipe(rows[0]), _pipe(["---"] * len(rows[0])), *map(_pipe, rows[1:])]


def render_markdown(rep: SyntheticReport, quirks: Iterable[str] = QUIRKS) -> str:
    """The report as Markdown, with the converter quirks named (all of them by default)."""
    quirks = set(quirks)
    assert quirks <= set(QUIRKS), f"unknown quirks {quirks - set(QUIRKS)}"
    title, *prose = intro(rep)
    lines = [f"**{title}**" if "bold_title" in quirks else f"# {title}", ""]
    lines += [line for p in prose for line in (p, "")]
    for heading, layout in layouts(rep):
        lines += [f"## {heading}", ""]
        rows = _grid(rep, layout)
        if "pieces" in quirks:
            cut = len(rows) // 2 + 1
            lines += [*_table(rows[:cut]), "", f"### {PAGE_HEADING}", "", *_table([[""] * len(rows[0]), *rows[cut:]])]
        else:
            lines += _table(rows)
        lines.append("")
    lines += [line for p in OUTRO for line in (p, "")]
    return "\n".join(lines)

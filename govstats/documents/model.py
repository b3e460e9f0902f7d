"""The intermediate every reader produces: a stream of located cells plus plain text.

Readers know formats; they never match labels. The parser (`govstats.parse`) maps the
cell stream to the schema, so a quirk is fixed once for every format.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from ..normalize import normalize_label


@dataclass(frozen=True, slots=True)
class Cell:
    """One printed cell (or text line) and where it stands in the file.

    `table`, `row`, `col` are 0-based positions in a table grid; `line` is the 1-based
    line of a text file; `page` is 1-based. `span_copy` marks the positions that a
    merged cell covers beyond its first one: they hold the same text but are not new.
    """

    text: str
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    line: int | None = None
    span_copy: bool = False

    def locate(self, file: str) -> str:
        parts = [file]
        if self.page is not None:
            parts.append(f"p{self.page}")
        if self.table is not None:
            parts.append(f"table {self.table + 1} r{self.row + 1}c{self.col + 1}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return " ".join(parts)


Grid = list[list[Cell]]
MAX_COLSPAN = 64


@dataclass
class Document:
    """A file read into text (for metadata) and cells (for the tables)."""

    path: Path
    format: str
    text: str
    cells: list[Cell]
    title: str | None = None
    pages: int | None = None
    meta: dict[str, str] = field(default_factory=dict)
    sha256: str = ""

    @functools.cached_property
    def label_text(self) -> str:
        """The whole text in label form, computed once and only when a rule needs it."""
        return normalize_label(self.text + "\n" + (self.title or ""))


def grid_cells(grid: Grid) -> list[Cell]:
    """Row-major reading order of a grid, without the copies that spans made."""
    return [c for row in grid for c in row if not c.span_copy]


def expand_spans(
    rows: list[list[tuple[str, int, int]]], *, table: int, page: int | None = None
) -> Grid:
    """Lay (text, rowspan, colspan) cells out on a rectangular grid.

    Every source cell appears once as an original and fills its span with copies;
    positions no cell covers are empty cells, so the grid is always rectangular.
    """
    taken: dict[tuple[int, int], Cell] = {}
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            # Clip as browsers do: no span beyond the table, no absurd colspan.
            rowspan = min(max(1, rowspan), len(rows) - r)
            colspan = min(max(1, colspan), MAX_COLSPAN)
            for dr in range(rowspan):
                for dc in range(colspan):
                    first = dr == 0 and dc == 0
                    taken[(r + dr, c + dc)] = Cell(
                        text, page, table, r + dr, c + dc, span_copy=not first
                    )
            c += colspan
            width = max(width, c)
    height = max([r + 1 for r, _ in taken] + [len(rows)])
    width = max([c + 1 for _, c in taken] + [width])
    return [
        [taken.get((r, c)) or Cell("", page, table, r, c) for c in range(width)]
        for r in range(height)
    ]

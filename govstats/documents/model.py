"""The intermediate every reader produces: a stream of located cells plus plain text.

Readers know formats; they never match labels. The parser (`govstats.parse`) maps the
cell stream to the schema, so a quirk is fixed once for every format.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..limits import LIMITS
from ..normalize import normalize_label


@dataclass(frozen=True, slots=True)
class Cell:
    """One printed cell (or text line) and where it stands in the file.

    `table`, `row`, `col` are 0-based positions in a table grid; `line` is the 1-based
    line of a text file; `page` is 1-based. `span_copy` marks the positions that a
    merged cell covers beyond its first one: they hold the same text but are not new.
    `box` is where the cell stands on its page: (x0, top, x1, bottom) in PDF points from the
    page's top-left corner (PDF text layer and OCR), so a picture of the source can outline
    it; None for formats without pages. `address` is the cell's own name in its file where
    the format has one: a spreadsheet's `Sheet1!B7`.
    """

    text: str
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    line: int | None = None
    span_copy: bool = False
    box: tuple[float, float, float, float] | None = None
    address: str | None = None

    def locate(self, file: str) -> str:
        parts = [file]
        if self.page is not None:
            parts.append(f"p{self.page}")
        if self.table is not None:
            assert self.row is not None and self.col is not None, "a grid cell has its row and column"
            parts.append(f"table {self.table + 1} r{self.row + 1}c{self.col + 1}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return " ".join(parts)


Grid = list[list[Cell]]
T = TypeVar("T")


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


def lay_out(rows: Sequence[Sequence[T]], span: Callable[[T], tuple[int, int]]) -> dict[tuple[int, int], tuple[T, bool]]:
    """Place spanned items on a grid as HTML lays out a table: (row, col) → (item, whether it starts there).

    Each item takes the first free column of its row from the left and covers `span(item)` =
    (rowspan, colspan) positions; where spans overlap, the later item wins, as in a browser.
    """
    grid: dict[tuple[int, int], tuple[T, bool]] = {}
    for r, row in enumerate(rows):
        c = 0
        for item in row:
            while (r, c) in grid:
                c += 1
            rowspan, colspan = span(item)
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = (item, dr == 0 and dc == 0)
            c += colspan
    return grid


def expand_spans(
    rows: list[list[tuple[str, int, int]]], *, table: int, page: int | None = None
) -> Grid:
    """Lay (text, rowspan, colspan) cells out on a rectangular grid.

    Every source cell appears once as an original and fills its span with copies;
    positions no cell covers are empty cells, so the grid is always rectangular.
    """
    # Clip as browsers do: no span beyond the table, no absurd colspan.
    clipped = [[(text, min(max(1, rowspan), len(rows) - r), min(max(1, colspan), LIMITS.max_colspan))
                for text, rowspan, colspan in row] for r, row in enumerate(rows)]
    taken = lay_out(clipped, lambda cell: (cell[1], cell[2]))
    height = max([r + 1 for r, _ in taken] + [len(rows)])
    width = max([c + 1 for _, c in taken] + [0])

    def cell(r: int, c: int) -> Cell:
        if (r, c) not in taken:
            return Cell("", page, table, r, c)
        (text, _, _), first = taken[(r, c)]
        return Cell(text, page, table, r, c, span_copy=not first)

    return [[cell(r, c) for c in range(width)] for r in range(height)]

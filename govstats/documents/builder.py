"""Collects a document's cells and text lines in reading order, for every grid-and-text reader."""

from __future__ import annotations

from pathlib import Path

from .lines import split_line
from .model import Cell, Document, Grid, expand_spans, grid_cells


class Builder:
    """Text blocks become line cells (split like plain text); tables become span-expanded grids."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []
        self.lines: list[str] = []
        self.tables = 0

    def text(self, text: str) -> None:
        for line in text.splitlines():
            line = line.replace("\xa0", " ").strip()
            if line:
                self.lines.append(line)
                self.cells.extend(Cell(t) for t in split_line(line))

    def table(self, rows: list[list[tuple[str, int, int]]]) -> Grid:
        """Add a table given as rows of (text, rowspan, colspan); returns its grid."""
        grid = expand_spans(rows, table=self.tables)
        self.add_grid(grid)
        return grid

    def add_grid(self, grid: Grid) -> None:
        self.tables += 1
        self.cells.extend(grid_cells(grid))
        self.lines.extend(filter(None, (" ".join(c.text for c in row if c.text and not c.span_copy) for row in grid)))

    def document(self, path: Path, fmt: str, **extra: object) -> Document:
        return Document(path=path, format=fmt, text="\n".join(self.lines), cells=self.cells, **extra)  # type: ignore[arg-type]

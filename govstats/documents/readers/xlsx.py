"""Excel workbooks (XLSX with openpyxl): each visible sheet is one span-expanded grid.

A sheet has no tables of its own, only a used range, so the grid is cut to what is
printed: the bounding box of the cells with text, and in each row nothing after its
last printed cell (text, a merge or a border). Otherwise the blank tails of heading
rows and spacer rows would reach the parser as runs of empty value cells.
`sheet_document` is shared with the XLS reader.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.cell.read_only import EmptyCell, ReadOnlyCell
from openpyxl.utils import get_column_letter

from ...errors import CorruptFileError
from ...limits import LIMITS
from ..archive import check_zip
from ..builder import Builder
from ..model import Cell as Located
from ..model import Document, Grid, expand_spans

Pos = tuple[int, int]  # 0-based (row, column)


@dataclass
class Sheet:
    """A sheet as the readers see it, all positions 0-based."""

    texts: dict[Pos, str]  # non-empty cells only
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, col, last row, col
    framed: set[Pos] = field(default_factory=set)  # cells with a border of their own
    name: str = ""  # the sheet's name, for cell addresses (`Sheet1!B7`)


def cell_text(value: object) -> str:
    """A cell value as printed: whole numbers without '.0', other floats to 15 digits."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    return str(value).strip()


def _grid_rows(sheet: Sheet) -> tuple[list[list[tuple[str, int, int]]], set[Pos], Pos]:
    """Rows for `expand_spans` over the bounding box of the text, the printed positions in it, and the
    sheet position of the box's top-left cell."""
    rows_at = [r for r, _ in sheet.texts]
    cols_at = [c for _, c in sheet.texts]
    top, left, bottom, right = min(rows_at), min(cols_at), max(rows_at), max(cols_at)
    spans: dict[Pos, tuple[int, int]] = {}
    covered: set[Pos] = set()
    for r0, c0, r1, c1 in sheet.merges:
        r0, c0, r1, c1 = max(r0, top), max(c0, left), min(r1, bottom), min(c1, right)
        if r0 > r1 or c0 > c1 or (r0, c0) in covered:
            continue
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) != (r0, c0))
    rows = [
        [(sheet.texts.get((r, c), ""), *spans.get((r, c), (1, 1)))
         for c in range(left, right + 1) if (r, c) not in covered]
        for r in range(top, bottom + 1)
    ]
    printed = {(r - top, c - left) for r, c in (*sheet.texts, *sheet.framed, *covered, *spans)}
    return rows, printed, (top, left)


def _addressed(grid: Grid, sheet: str, top: int, left: int) -> Grid:
    """The grid's cells named by their sheet address (`Sheet1!B7`), which a user finds in Excel."""
    return [[replace(c, address=f"{sheet}!{get_column_letter(left + c.col + 1)}{top + c.row + 1}")
             if c.row is not None and c.col is not None else c for c in row] for row in grid]


def _last_printed(row: list[Located], printed: set[tuple[int, int]]) -> int:
    """The column of the row's last printed cell, -1 for none (a blank tail is not part of the table)."""
    return max((c.col for c in row if c.col is not None and (c.row, c.col) in printed), default=-1)


def sheet_document(path: Path, fmt: str, sheets: list[Sheet]) -> Document:
    """One grid per sheet with text, rows cut after their last printed cell."""
    out = Builder()
    for sheet in (s for s in sheets if s.texts):
        rows, printed, (top, left) = _grid_rows(sheet)
        grid = _addressed(expand_spans(rows, table=out.tables), sheet.name, top, left)
        out.add_grid([row[: 1 + _last_printed(row, printed)] for row in grid])
    return out.document(path, fmt)


def _framed(cell: Cell | ReadOnlyCell) -> bool:
    b = cell.border
    return any(side is not None and side.style for side in (b.left, b.right, b.top, b.bottom))


def _cells(rows: Iterable[tuple[Any, ...]]) -> tuple[dict[Pos, str], set[Pos]]:
    """The texts and the framed cells among a sheet's rows (of full-load, read-only or empty cells)."""
    texts: dict[Pos, str] = {}
    framed: set[Pos] = set()
    for row in rows:
        for c in row:
            if isinstance(c, EmptyCell):  # a read-only row's filler for a gap
                continue
            if text := cell_text(c.value):
                texts[(c.row - 1, c.column - 1)] = text
            if c.has_style and _framed(c):
                framed.add((c.row - 1, c.column - 1))
    return texts, framed


def _sheets(data: bytes) -> list[Sheet]:
    """Visible sheets, merged ranges and all.

    `iter_rows` makes every blank cell of the used range: up to LIMITS.max_sheet_cells cells that is cheap and
    exact. A sparser range (a stray cell far out, in a hostile or broken file) is streamed from a
    read-only load instead, without the sheet's stated dimensions, so each row is as long as its
    own last cell; that stream skips rows stored out of order, which only a damaged file has.
    """
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    stream = None
    try:
        sheets = []
        for i, ws in enumerate(book.worksheets):
            if ws.sheet_state != "visible":
                continue
            if ws.max_row * ws.max_column <= LIMITS.max_sheet_cells:
                rows = ws.iter_rows()
            else:
                stream = stream or openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
                streamed = stream.worksheets[i]
                streamed.reset_dimensions()
                rows = streamed.iter_rows()
            texts, framed = _cells(rows)
            merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
            sheets.append(Sheet(texts, merges, framed, ws.title))
        return sheets
    finally:
        if stream is not None:
            stream.close()


def read_xlsx(path: Path, data: bytes) -> Document:
    check_zip(path, data)
    try:
        sheets = _sheets(data)  # damage shows while loading and while streaming the cells
    except Exception as exc:  # openpyxl raises KeyError, ValueError, lxml errors... on damaged files
        raise CorruptFileError(path, f"a damaged Excel workbook ({type(exc).__name__}: {exc})") from exc
    return sheet_document(path, "xlsx", sheets)

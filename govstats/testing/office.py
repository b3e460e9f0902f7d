"""Synthetic reports written as Word and Excel files, laid out like `synthetic.render_html`.

Tests render one generated report in every format and read each back; these writers use
real merged cells (python-docx `merge`, openpyxl `merge_cells`, xlwt `write_merge`) so
the readers' span handling is exercised, and LibreOffice makes DOC and PDF from DOCX.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl
from openpyxl.styles import Border, Side

from .. import schema
from ..documents.model import expand_spans, grid_cells
from ..documents.readers.office import soffice_convert
from ..schema import Key, LayoutRow
from .synthetic import OUTRO, SyntheticReport, _fmt, intro, layouts


@dataclass(frozen=True)
class Placed:
    """One printed cell of a table at its grid position; `key` is set for value cells."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    key: Key | None


def place(rep: SyntheticReport, layout: list[LayoutRow]) -> tuple[list[Placed], int]:
    """Every cell of a layout at its grid position, plus the grid's height.

    Positions that no cell covers (a short row) come out as empty cells, as `expand_spans`
    makes them for HTML, so every format prints the same rectangle.
    """
    source: list[list[tuple[str, int, int]]] = []
    cells: list[tuple[str, int, int, Key | None]] = []
    for lr in layout:
        row = [(t, rs, cs, None) for t, rs, cs in lr.labels] + [(_fmt(rep, k), 1, lr.value_colspan, k) for k in lr.keys]
        source.append([(str(len(cells) + i), rs, cs) for i, (_, rs, cs, _) in enumerate(row)])
        cells.extend(row)
    grid = expand_spans(source, table=0)  # texts are indexes into `cells`
    placed = []
    for c in grid_cells(grid):
        text, rowspan, colspan, key = cells[int(c.text)] if c.text else ("", 1, 1, None)
        placed.append(Placed(c.row or 0, c.col or 0, rowspan, colspan, text, key))
    return placed, len(grid)


def _number(rep: SyntheticReport, key: Key) -> int | float | None:
    """A value as a spreadsheet stores it: a number, or an empty cell for a blank."""
    if key in rep.blanks:
        return None
    v = rep.values[key]
    return int(v) if v == int(v) else v


def render_docx(rep: SyntheticReport, path: Path) -> Path:
    """Title and prose paragraphs, then each table after its heading paragraph."""
    document = docx.Document()
    for text in intro(rep):
        document.add_paragraph(text)
    for heading, layout in layouts(rep):
        document.add_paragraph(heading)
        cells, height = place(rep, layout)
        table = document.add_table(rows=height, cols=1 + max(p.col for p in cells))
        table.style = "Table Grid"
        at = [row.cells for row in table.rows]  # before merging: table.cell() is slow on merged tables
        for p in cells:
            cell = at[p.row][p.col]
            if p.rowspan > 1 or p.colspan > 1:
                cell = cell.merge(at[p.row + p.rowspan - 1][p.col + p.colspan - 1])
            cell.text = p.text
    for text in OUTRO:
        document.add_paragraph(text)
    document.save(str(path))  # python-docx's stubs accept no Path (it does)
    return path


def _sheet_blocks(rep: SyntheticReport) -> list[tuple[list[Placed], int, bool]]:
    """(cells, height, is_table) blocks of the one-sheet layout, top to bottom."""

    def line(text: str) -> tuple[list[Placed], int, bool]:
        return [Placed(0, 0, 1, 1, text, None)], 1, False

    blocks = [line(t) for t in intro(rep)]
    for heading, layout in layouts(rep):
        cells, height = place(rep, layout)
        blocks += [line(heading), (cells, height, True)]
    return blocks + [line(t) for t in OUTRO]


def render_xlsx(rep: SyntheticReport, path: Path) -> Path:
    """One sheet: title and prose in column A, each heading in its own row, bordered tables."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = schema.GENERATED_SHEET
    thin = Side(style="thin")
    frame = Border(left=thin, right=thin, top=thin, bottom=thin)
    top = 1
    for cells, height, is_table in _sheet_blocks(rep):
        for p in cells:
            r, c = top + p.row, 1 + p.col
            ws.cell(r, c, _number(rep, p.key) if p.key else p.text or None)
            if is_table:
                for dr in range(p.rowspan):
                    for dc in range(p.colspan):
                        ws.cell(r + dr, c + dc).border = frame
            if p.rowspan > 1 or p.colspan > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + p.rowspan - 1, end_column=c + p.colspan - 1)
        top += height
    book.save(path)
    return path


def render_xls(rep: SyntheticReport, path: Path) -> Path:
    """The XLSX layout in BIFF8 with xlwt (a test extra)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(schema.GENERATED_SHEET)
    plain = xlwt.easyxf("")
    framed = xlwt.easyxf("borders: left thin, right thin, top thin, bottom thin")
    top = 0
    for cells, height, is_table in _sheet_blocks(rep):
        style = framed if is_table else plain
        for p in cells:
            value = _number(rep, p.key) if p.key else p.text or None
            r, c = top + p.row, p.col
            if p.rowspan > 1 or p.colspan > 1:
                ws.write_merge(r, r + p.rowspan - 1, c, c + p.colspan - 1, value, style)
            else:
                ws.write(r, c, value, style)
        top += height
    book.save(str(path))
    return path


def convert_with_soffice(src: Path, fmt: str, outdir: Path) -> Path:
    """`src` converted by LibreOffice to `fmt` ('pdf', 'doc', ...) in `outdir`; the new file's path."""
    return soffice_convert(Path(src), fmt, Path(outdir))

"""Generated reports printed the ways real ones deviate from the national template.

Each layout keeps the values and changes only how they are printed, so a round trip must
read back every generated value: header columns in another order (table 三's applicants,
table 四's groups and results), table 四 as three tables, row labels detached from their
values (on a line before them, or after them, as PDF-to-text tools write wrapped labels),
and `pdftotext -layout` of the LibreOffice PDF.
"""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from .. import schema
from ..schema import LayoutRow
from ..schema.templates import request_layout
from .office import convert_with_soffice, place, render_docx
from .synthetic import OUTRO, SyntheticReport, _fmt, intro, layouts

_RESULTS = {c.key: c.label for c in schema.REVIEW_COLUMNS}
_APPLICANTS = {c.key: c.label for c in schema.REQUEST_COLUMNS}
_REVIEW_ROWS = {r.key: r for r in schema.REVIEW_ROWS}


def _replace(rep: SyntheticReport, table: str, new: list[tuple[str, list[LayoutRow]]]) -> SyntheticReport:
    """The report with one table (by its heading) printed as `new` (one or several tables)."""
    out: list[tuple[str, list[LayoutRow]]] = []
    for heading, layout in layouts(rep):
        out.extend(new if heading == schema.TABLE_LABELS[table] else [(heading, layout)])
    return dataclasses.replace(rep, printed=out)


def applicants_in(rep: SyntheticReport, order: tuple[str, ...]) -> SyntheticReport:
    """Table 三 with its seven applicant columns printed in `order`, one header cell each."""
    rows = request_layout(rep.other_single_row)[3:]
    head = [LayoutRow(((schema.BALANCE_NOTE, 2, 3), (schema.APPLICANT_HEADER, 1, 7)), ()),
            LayoutRow(tuple((_APPLICANTS[k], 1, 1) for k in order), ())]
    body = [LayoutRow(r.labels, tuple(("requests", key[1], k) for k in order for key in r.keys[:1])) for r in rows]
    return _replace(rep, "requests", [(schema.TABLE_LABELS["requests"], head + body)])


def active_reversed(rep: SyntheticReport) -> SyntheticReport:
    """Table 二 with each section's columns (header cells and values) printed right to left."""
    layout = []
    for lr in dict(layouts(rep))[schema.TABLE_LABELS["active"]]:
        if lr.labels and lr.labels[0][0] == schema.CONTENT_HEADER:
            lr = LayoutRow(lr.labels[:1] + lr.labels[:0:-1], ())
        layout.append(LayoutRow(lr.labels, lr.keys[::-1], lr.value_colspan))
    return _replace(rep, "active", [(schema.TABLE_LABELS["active"], layout)])


def review_in(rep: SyntheticReport, rows: tuple[str, ...], results: tuple[str, ...]) -> SyntheticReport:
    """Table 四 with its three groups printed in `rows` order, each over its results in `results` order."""
    layout = [
        LayoutRow(tuple((_REVIEW_ROWS[r].label, 1, len(results)) for r in rows), ()),
        LayoutRow(tuple((_RESULTS[c], 1, 1) for _ in rows for c in results), ()),
        LayoutRow((), tuple(("review", r, c) for r in rows for c in results)),
    ]
    return _replace(rep, "review", [(schema.TABLE_LABELS["review"], layout)])


def review_as_three_tables(rep: SyntheticReport) -> SyntheticReport:
    """Table 四 as three tables under one heading: 行政复议, then each 行政诉讼 sub-table."""
    tables = []
    for k, row in enumerate(schema.REVIEW_ROWS):
        width = len(schema.REVIEW_COLUMNS)
        head = [LayoutRow(((row.group, 1, width),), ())] if row.group else []
        head += [LayoutRow(((row.label, 1, width),), ()),
                 LayoutRow(tuple((c.label, 1, 1) for c in schema.REVIEW_COLUMNS), ()),
                 LayoutRow((), tuple(("review", row.key, c.key) for c in schema.REVIEW_COLUMNS))]
        tables.append((schema.TABLE_LABELS["review"] if k == 0 else "", head))
    return _replace(rep, "review", tables)


def render_detached(rep: SyntheticReport, where: str) -> str:
    """Text with each row's label on its own line `before` or `after` the line of its values.

    `after` is how PDF-to-text tools write a label centred beside its values when it wraps
    into more lines than the values take.
    """
    lines = list(intro(rep))
    for heading, layout in layouts(rep):
        lines.append(heading)
        for lr in layout:
            labels = "   ".join(t for t, _, _ in lr.labels)
            numbers = "    " + "   ".join(_fmt(rep, k, "/") for k in lr.keys)
            if not lr.keys:
                lines.append(labels)
            elif not labels:
                lines.append(numbers)
            else:
                lines.extend([labels, numbers] if where == "before" else [numbers, labels])
    lines.extend(OUTRO)
    return "\n".join(lines) + "\n"


def render_pdftotext(rep: SyntheticReport, workdir: Path) -> str:
    """`pdftotext -layout` of the report's DOCX printed to PDF by LibreOffice."""
    pdf = convert_with_soffice(render_docx(rep, workdir / "report.docx"), "pdf", workdir)
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=120)
    return done.stdout.decode("utf-8")


def render_xlsx_beside(rep: SyntheticReport, path: Path) -> Path:
    """One sheet with table 四 (its heading above it) printed beside table 三, an empty column between.

    A workbook keeps a sheet's used range as one grid, so the reader hands both tables over
    row by row, interleaved: the parser must read them block by block.
    """
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = schema.GENERATED_SHEET
    top = 1
    for text in intro(rep):
        ws.cell(top, 1, text)
        top += 1
    printed = layouts(rep)
    review = printed.pop()
    requests_top = top
    for heading, layout in printed:
        ws.cell(top, 1, heading)
        top = _write(ws, rep, layout, top + 1, 1)
    cells, _ = place(rep, printed[-1][1])
    left = 3 + max(p.col + p.colspan for p in cells)
    ws.cell(requests_top, left, review[0])
    _write(ws, rep, review[1], requests_top + 1, left)
    for text in OUTRO:
        ws.cell(top, 1, text)
        top += 1
    book.save(path)
    return path


def _write(ws: Worksheet, rep: SyntheticReport, layout: list[LayoutRow], top: int, left: int) -> int:
    """A table's cells written from (top, left), merged as printed; the row below it."""
    cells, height = place(rep, layout)
    for p in cells:
        r, c = top + p.row, left + p.col
        value = rep.values[p.key] if p.key else p.text or None
        ws.cell(r, c, int(value) if isinstance(value, float) and value == int(value) else value)
        if p.rowspan > 1 or p.colspan > 1:
            ws.merge_cells(start_row=r, start_column=c, end_row=r + p.rowspan - 1, end_column=c + p.colspan - 1)
    return top + height

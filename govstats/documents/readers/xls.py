"""Legacy Excel workbooks (XLS, BIFF) with xlrd; same grids as the XLSX reader.

`formatting_info=True` is what makes xlrd report merged ranges and borders.
"""

from __future__ import annotations

import io
from pathlib import Path

import xlrd

from ...errors import CorruptFileError, EncryptedFileError
from ..model import Document
from .xlsx import Sheet, cell_text, sheet_document


def _value(book: xlrd.book.Book, cell: xlrd.sheet.Cell) -> object:
    """What the cell prints: dates as dates, errors as their code (#DIV/0!), booleans as TRUE/FALSE."""
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    return cell.value


def _framed(book: xlrd.book.Book, xf_index: int) -> bool:
    b = book.xf_list[xf_index].border
    return any((b.left_line_style, b.right_line_style, b.top_line_style, b.bottom_line_style))


def read_xls(path: Path, data: bytes) -> Document:
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
        sheets = _sheets(book)  # damage also shows while reading cells (an XF index beyond the XF table)
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error, IndexError... on damaged files
        if "encrypted" in str(exc).lower():
            raise EncryptedFileError(path, "a password-protected Excel workbook") from exc
        raise CorruptFileError(path, f"a damaged Excel workbook ({type(exc).__name__}: {exc})") from exc
    return sheet_document(path, "xls", sheets)


def _sheets(book: xlrd.book.Book) -> list[Sheet]:
    sheets = []
    for ws in book.sheets():
        if ws.visibility:
            continue
        texts: dict[tuple[int, int], str] = {}
        framed: set[tuple[int, int]] = set()
        for r in range(ws.nrows):
            for c, cell in enumerate(ws.row(r)):
                if text := cell_text(_value(book, cell)):
                    texts[(r, c)] = text
                elif _framed(book, cell.xf_index):
                    framed.add((r, c))
        merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in ws.merged_cells]
        sheets.append(Sheet(texts, merges, framed, ws.name))
    return sheets

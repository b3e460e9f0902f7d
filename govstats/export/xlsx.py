"""Writing tables into a workbook: safely (web text never becomes a formula), fast, readable.

XlsxWriter builds the workbook through its public API: it writes a cell in about a third of
the time openpyxl's write-only mode takes, and the tidy cells of 1,000 reports are 2.7 million
cells. Every string goes in with `write_string`, which never makes a formula; text that looks
like a formula also gets Excel's quote prefix, so it stays text when someone edits the cell.
Strings are shared (one entry per distinct text), not inline: XlsxWriter's `constant_memory` mode
writes them inline, takes 50% longer on the tidy sheet, and writes a text "<r>...</r>" unescaped.
Empty text is an empty cell, as XlsxWriter's `write` makes it.
XlsxWriter stores numbers to 16 significant digits: counts exactly, a share to within 1e-16.
"""

from __future__ import annotations

import gc
import math
import re
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from openpyxl.cell.cell import ERROR_CODES
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .. import schema
from ..documents.model import lay_out
from .labels import EXPORT_HEADERS, EXPORT_SHEETS

INT = "#,##0"
PCT = "0.0%"
MAX_WIDTH = 60
HEADER_WIDTH = 16  # longer headers wrap onto more lines instead of widening the column
LABEL_WIDTH = 24
LINE_HEIGHT = 15  # points per line of wrapped text
TEXT = "string[pyarrow]"  # vectorised string operations run in Arrow, not per Python object
RISKY_FIRST = "=+-@\t\r"  # a cell starting with one of these is a formula to a spreadsheet
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 forbids
INVALID_TITLE = re.compile(r"[\[\]:*?/\\]")
# East Asian wide and full-width characters (CJK, kana, hangul, full-width forms).
WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                  "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")
# Options for every workbook: strings are never read as formulas, links or numbers, whatever call writes them.
BOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
_FRAMED = {"border": 1, "valign": "vcenter"}  # thin borders all round
ROLES: dict[str, dict[str, object]] = {  # cell formats by role; a number format and the quote prefix go on top
    "data": {},
    "header": {**_FRAMED, "bold": True, "pattern": 1, "bg_color": "#DDEBF7", "text_wrap": True, "align": "center"},
    "title": {"bold": True},
    "head": {**_FRAMED, "text_wrap": True, "align": "center"},
    "label": {**_FRAMED, "text_wrap": True},
    "value": _FRAMED,
}


@dataclass
class Table:
    """One sheet: a frame with Chinese headers, number formats by header, columns frozen on the left."""

    key: str  # EXPORT_SHEETS key
    frame: pd.DataFrame
    formats: dict[str, str]
    frozen: int = 1


def display_width(text: str) -> int:
    """Width in Excel's units of the default font: CJK (wide) characters count double."""
    return len(text) + len(WIDE.findall(text))


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\, no edge apostrophes, ≤ 31 characters."""
    base = INVALID_TITLE.sub("_", name).strip("'").strip() or "sheet"
    title, n = base[:31], 1
    while title.lower() in taken or title.lower() == "history":  # Excel reserves History
        n += 1
        suffix = f"~{n}"
        title = base[: 31 - len(suffix)] + suffix
    taken.add(title.lower())
    return title


class Styles:
    """The workbook's formats, one per combination of role, number format and quote prefix."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self._book = book
        self._formats: dict[tuple[str, str | None, bool], Format | None] = {}

    def __call__(self, role: str, fmt: str | None = None, quoted: bool = False) -> Format | None:
        key = (role, fmt, quoted)
        if key not in self._formats:
            props = {**ROLES[role], **({"num_format": fmt} if fmt else {}),
                     **({"quote_prefix": True} if quoted else {})}
            self._formats[key] = self._book.add_format(props) if props else None
        return self._formats[key]


# ------------------------------------------------------------------ cells
def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _values(series: pd.Series) -> list[object]:
    """Python values of a column, None where missing (categories as their values)."""
    return series.astype(object).where(series.notna(), None).tolist()


def _kinds(series: pd.Series) -> pd.Series | pd.Index:
    """What `infer_dtype` should look at: a categorical column's categories, another column's values."""
    return series.cat.categories if isinstance(series.dtype, pd.CategoricalDtype) else series


def risky(text: str) -> bool:
    """Text a spreadsheet would take for a formula (= + - @ tab CR first) or an error value."""
    return (text != "" and text[0] in RISKY_FIRST) or text in ERROR_CODES


def _clean(text: str) -> str:
    """Text without the characters XML 1.0 forbids (isprintable: a fast common case)."""
    return text if text.isprintable() else ILLEGAL.sub("", text)


Write = tuple[Callable[..., object], object, "Format | None"]  # a worksheet method, the value, its format


def _how(ws: Worksheet, value: object, style: Format | None) -> Write | None:
    """How one value is written: a number, a boolean or text (never a formula); an empty cell only if it
    has a style (None, NaN, ±inf and empty text: nothing a worksheet holds, as XlsxWriter's write() has it)."""
    if isinstance(value, str) and value:
        return ws.write_string, _clean(value), style
    if isinstance(value, (bool, np.bool_)):
        return ws.write_boolean, bool(value), style
    if isinstance(value, (int, float, np.number)) and math.isfinite(value):
        return ws.write_number, value, style
    return (ws.write_blank, None, style) if style is not None else None


def _put(ws: Worksheet, r: int, c: int, value: object, style: Format | None) -> None:
    if how := _how(ws, value, style):
        write, v, s = how
        write(r, c, v, s)


def _row_height(ws: Worksheet, r: int, lines: float) -> None:
    if lines > 1:
        ws.set_row(r, LINE_HEIGHT * math.ceil(lines))


# ------------------------------------------------------------------ tables
def _data_width(series: pd.Series, fmt: str | None) -> int:
    """Widest value as displayed (numbers with separators; percentages are short)."""
    values = series.dropna()
    if values.empty:
        return 0
    if _numeric(values):
        numbers = values.astype(float)
        return 7 if fmt == PCT else max(len(f"{v:,.1f}") for v in (numbers.min(), numbers.max()))
    text = pd.Series(values.unique()).astype(object).astype(str).astype(TEXT)  # each distinct value once
    return int((text.str.len() + text.str.count(WIDE.pattern)).max())


def _data_style(styles: Styles, value: object, fmt: str | None) -> Format | None:
    """Numbers take their column's format (a fraction under #,##0 stays General, not rounded);
    text that looks like a formula takes the quote prefix."""
    if isinstance(value, str):
        return styles("data", quoted=True) if risky(value) else None
    if value is None or not fmt or (fmt == INT and isinstance(value, float) and not value.is_integer()):
        return None
    return styles("data", fmt)


def _write_cells(write: Callable[..., object], c: int, rows: np.ndarray, values: list[object],
                 style: Format | None = None) -> None:
    """Cells of column `c` (data rows `rows`, counted from 0 under the header) through one bound method:
    `map` runs the loop in C and the deque consumes it, so a cell costs XlsxWriter's call and nothing more."""
    deque(map(write, (rows + 1).tolist(), repeat(c), values, repeat(style)), maxlen=0)


def _write_column(ws: Worksheet, styles: Styles, c: int, series: pd.Series, fmt: str | None) -> None:
    """One column under the header, a few calls of `_write_cells` for its kind: the tidy sheet has millions
    of cells, so each distinct text (or category) is checked, cleaned and styled once, not once a row."""
    if _numeric(series):
        numbers = series.to_numpy(dtype=float, na_value=np.nan)
        finite = np.isfinite(numbers)  # not NaN (missing) or ±inf
        formatted = finite & (numbers == np.floor(numbers)) if fmt == INT else finite  # a fraction stays General
        for rows, style in ((formatted, styles("data", fmt) if fmt else None), (finite & ~formatted, None)):
            _write_cells(ws.write_number, c, np.flatnonzero(rows), numbers[rows].tolist(), style)
    elif pd.api.types.infer_dtype(_kinds(series)) == "string":
        codes, distinct = pd.factorize(series)  # -1 where missing: it takes the entry added at the end
        texts = [*map(_clean, distinct.tolist()), ""]
        quoted = np.array([*map(risky, texts)])
        plain = np.array([bool(t) for t in texts]) & ~quoted  # empty text is an empty cell
        cleaned = np.array(texts, dtype=object)
        prefixed = styles("data", quoted=True) if quoted.any() else None
        for rows, style in ((plain[codes], None), (quoted[codes], prefixed)):
            _write_cells(ws.write_string, c, np.flatnonzero(rows), cleaned[codes[rows]].tolist(), style)
    else:
        for r, value in enumerate(_values(series), 1):
            _put(ws, r, c, value, _data_style(styles, value, fmt))


def _write_table(book: xlsxwriter.Workbook, styles: Styles, title: str, table: Table) -> None:
    """A sheet with a frozen, filtered header row and columns as wide as their text."""
    ws = book.add_worksheet(title)
    lines = 1
    for c, name in enumerate(table.frame.columns):
        header = display_width(str(name))
        data = _data_width(table.frame[name], table.formats.get(name))
        width = min(max(min(header, HEADER_WIDTH), data) + 2, MAX_WIDTH)
        ws.set_column(c, c, width)
        lines = max(lines, -(-header // (width - 2)))
        _put(ws, 0, c, str(name), styles("header", quoted=risky(str(name))))
    _row_height(ws, 0, lines)
    ws.freeze_panes(1, table.frozen)
    if len(table.frame.columns):
        ws.autofilter(0, 0, len(table.frame), len(table.frame.columns) - 1)
    for c, name in enumerate(table.frame.columns):
        _write_column(ws, styles, c, table.frame[name], table.formats.get(str(name)))


# ------------------------------------------------------------------ one report, as printed
@dataclass(frozen=True)
class Item:
    """A cell of a per-report sheet: text or number, its span, and its role (a key of ROLES)."""

    value: object
    rowspan: int = 1
    colspan: int = 1
    role: str = "label"


def _report_rows(report: pd.Series, cells: pd.DataFrame) -> list[list[Item]]:
    """Title, source, then the three tables laid out by `schema.layouts`, then unmapped cells."""
    values = dict(zip(zip(cells["table"], cells["row"], cells["column"]), cells["value"]))
    requests = set(cells.loc[cells["table"] == "requests", "row"])
    single = "other" in requests and not requests & set(schema.OTHER_SUBROWS)
    agency = report["agency"] if isinstance(report["agency"], str) else ""
    title, url = report.get("title"), report.get("url")
    if not (isinstance(title, str) and title):
        title = schema.REPORT_TITLE.format(agency=agency, year=int(report["year"]))
    where = url if isinstance(url, str) and url else report.get("path")
    rows = [[Item(title, role="title")],
            [Item(EXPORT_HEADERS["report_source"].format(where=where, report_id=report["report_id"]),
                  role="title")], []]
    for heading, layout in schema.layouts(str(report["template"]), single):
        rows.append([Item(heading, role="title")])
        for line in layout:
            role = "label" if line.keys else "head"
            rows.append([Item(t, rs, cs, role) for t, rs, cs in line.labels]
                        + [Item(values.get(k), 1, line.value_colspan, "value") for k in line.keys])
        rows.append([])
    unmapped = cells[cells["row"] == "unmapped"]
    if len(unmapped):
        rows.append([Item(EXPORT_HEADERS["unmapped"], role="title")])
        rows += [[Item(schema.TABLE_LABELS[t]), Item(r), Item(c), Item(v, role="value")] for t, r, c, v in
                 zip(unmapped["table"], unmapped["row_label"], unmapped["column_label"], unmapped["value"])]
    return rows


def _place(rows: list[list[Item]]) -> dict[tuple[int, int], Item | None]:
    """Lay spanned items on a grid as HTML does; positions a span covers map to None."""
    laid = lay_out(rows, lambda item: (item.rowspan, item.colspan))
    return {pos: item if first else None for pos, (item, first) in laid.items()}


def _write_report(book: xlsxwriter.Workbook, styles: Styles, title: str, report: pd.Series,
                  cells: pd.DataFrame) -> None:
    """The report's tables with the template's merged cells, rows tall enough for wrapped labels."""
    grid = _place(_report_rows(report, cells))
    width = max(c for _, c in grid) + 1
    texts: dict[tuple[int, int], Item] = {pos: i for pos, i in grid.items()
                                          if i is not None and i.role in ("label", "head")}
    widths = [min(max([display_width(str(i.value)) for (_, c), i in texts.items() if c == col and i.colspan == 1],
                      default=8), LABEL_WIDTH) + 2 for col in range(width)]
    ws = book.add_worksheet(title)
    for col, w in enumerate(widths):
        ws.set_column(col, col, w)
    lines: dict[int, float] = {}
    for (r, c), item in texts.items():
        room = sum(widths[c:c + item.colspan]) - 2
        lines[r] = max(lines.get(r, 1), -(-display_width(str(item.value)) // room) / item.rowspan)
    for r, n in lines.items():
        _row_height(ws, r, n)
    for (r, c), placed in grid.items():
        if placed is None:  # covered by a merge, which gives it the merged item's format
            continue
        value = placed.value
        whole = isinstance(value, float) and value.is_integer()
        style = styles(placed.role, INT if whole else None, isinstance(value, str) and risky(value))
        if placed.rowspan > 1 or placed.colspan > 1:
            # merge_range writes its data with write(): merge blank, then write the value with its own type
            ws.merge_range(r, c, r + placed.rowspan - 1, c + placed.colspan - 1, "", style)
        _put(ws, r, c, value, style)


def _laid_out(reports: pd.DataFrame, cells: pd.DataFrame) -> Iterator[tuple[pd.Series, pd.DataFrame]]:
    """Reports with an official template and numbers, each with its cells."""
    by_report = {rid: part for rid, part in cells.groupby(cells["report_id"].astype(object), sort=False)}
    for _, report in reports.drop_duplicates("report_id").iterrows():
        part = by_report.get(report["report_id"])
        if part is not None and str(report["template"]) in schema.ACTIVE_ROWS and pd.notna(report["year"]):
            yield report, part.astype({c: object for c in ("table", "row", "column", "row_label", "column_label")})


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """XlsxWriter holds every cell as a small object until it saves; the cycle collector would rescan
    millions of them again and again (a third of the export's time). Nothing here makes cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_workbook(path: Path, tables: list[Table], cells: pd.DataFrame, reports: pd.DataFrame | None) -> None:
    """All tables as sheets, then (if `reports` is given) one sheet per report as printed."""
    with _no_cycle_collection(), xlsxwriter.Workbook(path, BOOK_OPTIONS) as book:
        styles = Styles(book)
        taken: set[str] = set()
        for table in tables:
            _write_table(book, styles, sheet_title(EXPORT_SHEETS[table.key], taken), table)
        for report, part in _laid_out(reports, cells) if reports is not None else ():
            agency = report["agency"] if pd.notna(report["agency"]) else report["report_id"]
            _write_report(book, styles, sheet_title(f"{int(report['year'])} {agency}", taken), report, part)

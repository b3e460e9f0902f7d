"""Writing tables into a workbook: safely (web text never becomes a formula), fast, readable.

openpyxl builds the workbook: styles, column widths, frozen panes, filters, merged cells.
The rows themselves are rendered as SpreadsheetML by `_cell_xml` and spliced into the sheet
openpyxl wrote: openpyxl spends ~10 µs on every cell, and the tidy cells of 1,000 reports
are 2.6 million cells. Every string is written as an inline string, which a spreadsheet never
evaluates; text that looks like a formula also gets Excel's quote prefix, so it stays text
when someone edits the cell.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .. import schema
from ..documents.model import lay_out
from .labels import EXPORT_HEADERS, EXPORT_SHEETS

INT = "#,##0"
PCT = "0.0%"
MAX_WIDTH = 60
HEADER_WIDTH = 16  # longer headers wrap onto more lines instead of widening the column
LABEL_WIDTH = 24
LINE_HEIGHT = 15  # points per line of wrapped text
CHUNK_CELLS = 500_000
TEXT = "string[pyarrow]"  # vectorised string operations run in Arrow, not per Python object
RISKY_FIRST = "=+-@\t\r"  # a cell starting with one of these is a formula to a spreadsheet
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 forbids
INVALID_TITLE = re.compile(r"[\[\]:*?/\\]")
# East Asian wide and full-width characters (CJK, kana, hangul, full-width forms).
WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                  "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")
_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
ROLES: dict[str, dict[str, object]] = {  # cell styles by role; a number format and the quote prefix go on top
    "data": {},
    "header": {"font": Font(bold=True), "fill": PatternFill("solid", fgColor="DDEBF7"), "border": BORDER,
               "alignment": Alignment(wrap_text=True, vertical="center", horizontal="center")},
    "title": {"font": Font(bold=True)},
    "head": {"border": BORDER, "alignment": Alignment(wrap_text=True, vertical="center", horizontal="center")},
    "label": {"border": BORDER, "alignment": Alignment(wrap_text=True, vertical="center")},
    "value": {"border": BORDER, "alignment": Alignment(vertical="center")},
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
    """The workbook's style ids (as openpyxl registers them for styles.xml), one per combination."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str | None, bool], int] = {}

    def __call__(self, ws: WriteOnlyWorksheet, role: str, fmt: str | None = None, quoted: bool = False) -> int:
        key = (role, fmt, quoted)
        if key not in self._ids:
            cell = WriteOnlyCell(ws)
            for name, value in ROLES[role].items():
                setattr(cell, name, value)
            if fmt:
                cell.number_format = fmt
            cell.quotePrefix = bool(quoted)
            self._ids[key] = cell.style_id
        return self._ids[key]


# ------------------------------------------------------------------ cells as SpreadsheetML
def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _values(series: pd.Series) -> list[object]:
    """Python values of a column, None where missing (categories as their values)."""
    return series.astype(object).where(series.notna(), None).tolist()


def risky(text: str) -> bool:
    """Text a spreadsheet would take for a formula (= + - @ tab CR first) or an error value."""
    return (text != "" and text[0] in RISKY_FIRST) or text in ERROR_CODES


def _cell_xml(ref: str, value: object, style: int) -> str:
    """One <c>: a number, a boolean or inline text (never a formula); an empty cell only if it has a style."""
    attr = f' s="{style}"' if style else ""
    if isinstance(value, str):
        text = value if value.isprintable() else ILLEGAL.sub("", value)  # isprintable: a fast common case
        text = text[:32767]
        if "&" in text or "<" in text or ">" in text:
            text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        return f'<c r="{ref}"{attr} t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if isinstance(value, (bool, np.bool_)):
        return f'<c r="{ref}"{attr} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, np.number)) and math.isfinite(value):
        number = int(value) if float(value).is_integer() else repr(float(value))
        return f'<c r="{ref}"{attr}><v>{number}</v></c>'
    return f'<c r="{ref}"{attr}/>' if style else ""  # None, NaN, ±inf: nothing a worksheet holds


def _splice(ws: WriteOnlyWorksheet, rows: Iterable[str]) -> None:
    """Close the sheet (openpyxl writes its frame) and put the rendered rows into its sheetData."""
    ws.close()
    sheet = Path(ws._writer.out)  # the file openpyxl puts into the archive at save time
    head, tail = sheet.read_bytes().rsplit(b"</sheetData>", 1)
    with open(sheet, "wb") as out:
        out.write(head)
        for part in rows:
            out.write(part.encode("utf-8"))
        out.write(b"</sheetData>" + tail)


def _row_start(r: int, lines: float) -> str:
    height = f' ht="{LINE_HEIGHT * math.ceil(lines)}" customHeight="1"' if lines > 1 else ""
    return f'<row r="{r}"{height}>'


# ------------------------------------------------------------------ tables
def _data_width(series: pd.Series, fmt: str | None) -> int:
    """Widest value as displayed (numbers with separators; percentages are short)."""
    values = series.dropna()
    if values.empty:
        return 0
    if _numeric(values):
        numbers = values.astype(float)
        return 7 if fmt == PCT else max(len(f"{v:,.1f}") for v in (numbers.min(), numbers.max()))
    text = values.astype(object).astype(str).astype(TEXT)
    return int((text.str.len() + text.str.count(WIDE.pattern)).max())


def _table_rows(ws: WriteOnlyWorksheet, styles: Styles, table: Table, header_lines: float) -> Iterator[str]:
    """The header row, then the data rows in chunks, as XML.

    Numbers take their column's format (a fraction under #,##0 stays General, not rounded);
    text that looks like a formula takes the quote prefix.
    """
    names = [str(c) for c in table.frame.columns]
    letters = [get_column_letter(i) for i in range(1, len(names) + 1)]
    head = "".join(_cell_xml(f"{c}1", n, styles(ws, "header", quoted=risky(n))) for c, n in zip(letters, names))
    yield _row_start(1, header_lines) + head + "</row>"
    fmts = [table.formats.get(n) for n in names]
    formatted = [styles(ws, "data", f) if f else 0 for f in fmts]
    quoted = styles(ws, "data", quoted=True)
    columns = [_values(table.frame[c]) for c in table.frame.columns]
    out: list[str] = []
    for r, row in enumerate(zip(*columns), 2):
        out.append(f'<row r="{r}">')
        for letter, value, fmt, style in zip(letters, row, fmts, formatted):
            if isinstance(value, str):
                style = quoted if risky(value) else 0
            elif fmt == INT and isinstance(value, float) and not value.is_integer():
                style = 0
            out.append(_cell_xml(f"{letter}{r}", value, style if value is not None else 0))
        out.append("</row>")
        if len(out) > CHUNK_CELLS:
            yield "".join(out)
            out = []
    yield "".join(out)


def _write_table(wb: Workbook, styles: Styles, title: str, table: Table) -> None:
    """A sheet with a frozen, filtered header row and columns as wide as their text."""
    ws = wb.create_sheet(title)
    lines = 1
    for i, name in enumerate(table.frame.columns, 1):
        header = display_width(str(name))
        data = _data_width(table.frame[name], table.formats.get(name))
        width = min(max(min(header, HEADER_WIDTH), data) + 2, MAX_WIDTH)
        ws.column_dimensions[get_column_letter(i)].width = width
        lines = max(lines, -(-header // (width - 2)))
    ws.freeze_panes = f"{get_column_letter(table.frozen + 1)}2"
    if len(table.frame.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.frame.columns))}{len(table.frame) + 1}"
    _splice(ws, _table_rows(ws, styles, table, lines))


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


def _write_report(wb: Workbook, styles: Styles, title: str, report: pd.Series, cells: pd.DataFrame) -> None:
    """The report's tables with the template's merged cells, rows tall enough for wrapped labels."""
    grid = _place(_report_rows(report, cells))
    width = max(c for _, c in grid) + 1
    texts = {pos: i for pos, i in grid.items() if i is not None and i.role in ("label", "head")}
    widths = [min(max([display_width(str(i.value)) for (_, c), i in texts.items() if c == col and i.colspan == 1],
                      default=8), LABEL_WIDTH) + 2 for col in range(width)]
    ws = wb.create_sheet(title)
    for col, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = w
    lines: dict[int, float] = {}
    for (r, c), item in texts.items():
        room = sum(widths[c:c + item.colspan]) - 2
        lines[r] = max(lines.get(r, 1), -(-display_width(str(item.value)) // room) / item.rowspan)
    xml, current = [], -1
    for (r, c), item in sorted(grid.items()):
        if r != current:
            xml.append(("</row>" if current >= 0 else "") + _row_start(r + 1, lines.get(r, 1)))
            current = r
        value = None if item is None else item.value
        if item is not None and (item.rowspan > 1 or item.colspan > 1):
            ws.merged_cells.add(f"{get_column_letter(c + 1)}{r + 1}:{get_column_letter(c + item.colspan)}"
                                f"{r + item.rowspan}")
        whole = isinstance(value, float) and value.is_integer()
        quoted = isinstance(value, str) and risky(value)
        style = styles(ws, "label" if item is None else item.role, INT if whole else None, quoted)
        xml.append(_cell_xml(f"{get_column_letter(c + 1)}{r + 1}", value, style))
    _splice(ws, ["".join(xml) + ("</row>" if xml else "")])


def _laid_out(reports: pd.DataFrame, cells: pd.DataFrame) -> Iterator[tuple[pd.Series, pd.DataFrame]]:
    """Reports with an official template and numbers, each with its cells."""
    by_report = {rid: part for rid, part in cells.groupby(cells["report_id"].astype(object), sort=False)}
    for _, report in reports.drop_duplicates("report_id").iterrows():
        part = by_report.get(report["report_id"])
        if part is not None and str(report["template"]) in schema.ACTIVE_ROWS and pd.notna(report["year"]):
            yield report, part.astype({c: object for c in ("table", "row", "column", "row_label", "column_label")})


def write_workbook(path: Path, tables: list[Table], cells: pd.DataFrame, reports: pd.DataFrame | None) -> None:
    """All tables as sheets, then (if `reports` is given) one sheet per report as printed."""
    wb = Workbook(write_only=True)
    styles = Styles()
    taken: set[str] = set()
    for table in tables:
        _write_table(wb, styles, sheet_title(EXPORT_SHEETS[table.key], taken), table)
    for report, part in _laid_out(reports, cells) if reports is not None else ():
        name = f"{int(report['year'])} {report['agency'] if pd.notna(report['agency']) else report['report_id']}"
        _write_report(wb, styles, sheet_title(name, taken), report, part)
    wb.save(path)

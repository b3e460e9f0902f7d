"""`explain`: what the parser took each cell of a document for, the first tool to open when a report reads wrong.

`read_report` shows the values a document gave; `explain` shows the path to them, cell by
cell: which cell opened which row, which value went to which column, and why a number
was passed over. It reads the document exactly as `read_report` does, with the table
parser's trace switched on.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pandas as pd

from .documents import load_document
from .documents.model import Cell, Document
from .errors import GovstatsError
from .limits import LIMITS, time_limit
from .parse.metadata import find_template, find_year
from .parse.tables import Extraction, Value, extract_tables
from .parse.trace import Note, Seen, Trace
from .schema import Row
from .schema.enums import Flag

if TYPE_CHECKING:
    from PIL import Image

EXPLAIN_COLUMNS = [
    "n", "page", "grid", "grid_row", "grid_col", "line", "source", "text", "kind", "role",
    "table", "row", "column", "value", "flag", "variant", "pattern", "reason",
]
# What the cell was taken for, when the parser made no decision about it beyond classifying it.
_ROLE_OF_KIND = {"number": "skipped", "blank": "skipped", "label": "label", "heading": "heading", "end": "end",
                 "header": "header", "text": "text", "unit": "unit"}
_REASON_OF_KIND = {
    "page mark": "a page number or footer: never a table value",
    "short": "one character outside a value slot: a vertical label or a wrapped fragment",
    "header": "a column header",
    "end": "a later section's heading: the tables end here",
    "unit": "a legacy 统计表's 计量单位 cell: neither a value nor a label",
    "number": "passed over by the parser",
    "blank": "passed over by the parser",
}
_ROLE_OF_NOISE = {"page mark": "page mark", "short": "noise"}
_INT_COLUMNS = ("page", "grid", "grid_row", "grid_col", "line")


def _position(n: int, cell: Cell, name: str) -> dict[str, object]:
    def one_based(x: int | None) -> int | None:
        return None if x is None else x + 1

    return {"n": n, "page": cell.page, "grid": one_based(cell.table), "grid_row": one_based(cell.row),
            "grid_col": one_based(cell.col), "line": cell.line, "source": cell.locate(name), "text": cell.text}


def _value_row(value: Value) -> dict[str, object]:
    reason: dict[str, str] = {Flag.BLANK: "a blank mark, read as 0",
                              Flag.UNREADABLE: "text in a value slot of the row: read as NaN"}
    return {"role": "value", "table": value.table, "row": value.row, "column": value.column, "value": value.value,
            "flag": value.flag, "reason": reason.get(value.flag, "")}


def _classified_row(seen: Seen) -> dict[str, object]:
    if seen.kind == "noise":  # info says which: a page mark or a one-character fragment
        return {"role": _ROLE_OF_NOISE[str(seen.info)], "reason": _REASON_OF_KIND[str(seen.info)]}
    out: dict[str, object] = {"role": _ROLE_OF_KIND[seen.kind], "reason": _REASON_OF_KIND.get(seen.kind, "")}
    if seen.kind == "label":
        table, row = cast("tuple[str, Row]", seen.info)
        out.update(table=table, row=row.key, variant=seen.variant, pattern=seen.pattern)
    elif seen.kind == "heading":
        out.update(table=seen.info, reason=f"opens table {seen.info}")
    return out


def _what(seen: Seen, value: Value | None, note: Note | None, missing: list[str]) -> dict[str, object]:
    """The role, keys and reason of one classified cell: a value it gave, else the parser's note, else its kind."""
    out = {"kind": seen.kind, **_classified_row(seen)}
    if value is not None:
        out.update(_value_row(value))
    if note is not None:  # on a value cell: the review row it starts came out short
        out["reason"] = note.reason
        if value is None:
            out["role"] = note.role
    if missing:
        out["reason"] = "; ".join(filter(None, [str(out["reason"]), "missing: " + ", ".join(missing)]))
    return out


def _explain_rows(doc: Document, trace: Trace, ex: Extraction) -> list[dict[str, object]]:
    used = {id(v.cell): v for v in ex.values if v.cell is not None and v.flag != Flag.MISSING}
    missing: dict[int, list[str]] = defaultdict(list)
    for v in ex.values:
        if v.flag == Flag.MISSING:
            missing[id(v.cell)].append(v.column)
    seen = {id(s.cell): s for s in trace.seen}
    rows = []
    for n, cell in enumerate(doc.cells):
        row = _position(n, cell, doc.path.name)
        s = seen.get(id(cell))
        if cell.span_copy:
            row.update(kind="span copy", role="span copy",
                       reason="a merged cell's copy: read once, at its first position")
        elif s is None:
            row.update(kind="", role="not read", reason="this template's tables are not read (legacy report)")
        else:
            row.update(_what(s, used.get(id(cell)), trace.note_of(cell), missing.get(id(cell), [])))
        rows.append(row)
    return rows


def explain(path: str | Path, *, timeout: float | None = LIMITS.read_timeout) -> pd.DataFrame:
    """One row per cell of the document's cell stream: where it is, what the parser took it for, and why.

    Columns:
      n                   position in the cell stream (0-based; merged-cell copies included)
      page, grid,         where the cell is printed, 1-based like `source`: page; table grid, its row and
      grid_row, grid_col  column; or `line` of a text file (empty where it does not apply)
      line
      source              the same location as text, as in `Report.cells["source"]`
      text                the cell as printed
      kind                the parser's classification: number, blank, label, header, heading, end, text,
                          noise, unit (a legacy 计量单位 cell); "span copy" for a merged cell's copies, ""
                          when no table was read
      role                what the cell was taken for: value (of table/row/column), label (opens row
                          table/row), unmatched (looks like a label, matches no row: values after it
                          are skipped, or kept as row "unmapped"), skipped (a value that went into no
                          row), header, heading (of table), end, text, page mark, noise (a one-character
                          fragment), unit, span copy, not read
      table, row, column  schema keys: a value's cell; a label's row; a heading's table
      value, flag         a value as read and its flag ("", blank, unreadable), as in `Report.cells`
      variant, pattern    a label: the part of its normalised text that matched, and the row's pattern
      reason              why: the reason a value was skipped, a label opened no row or a short one
                          (with its missing columns), a row was printed twice, …

    Reads the file as `read_report` does (same timeout), but never rejects it as not a
    report: explaining why a file gives no values is part of the job. Metadata found is
    in `frame.attrs` (template, year).
    """
    return _explained(path, timeout)[1]


def _explained(path: str | Path, timeout: float | None) -> tuple[Document, pd.DataFrame]:
    """The document and its `explain` frame, row n for doc.cells[n]."""
    with time_limit(path, timeout):
        doc = load_document(path)
        year = find_year(doc)
        template = find_template(doc, year)
        trace = Trace()
        ex = extract_tables(doc.cells, template, trace)
    frame = pd.DataFrame(_explain_rows(doc, trace, ex), columns=EXPLAIN_COLUMNS)
    for col in _INT_COLUMNS:
        frame[col] = frame[col].astype("Int64")
    frame["value"] = frame["value"].astype(float)
    frame.attrs.update(file=str(doc.path), template=template, year=year)
    return doc, frame


# What the overlay draws each cell's box in, by the role `explain` gives it; other roles are grey.
ROLE_COLORS = {"value": (0, 150, 60), "label": (30, 90, 220), "header": (140, 60, 200), "heading": (200, 0, 120),
               "skipped": (220, 20, 20), "unmatched": (220, 20, 20)}
RULING = (0, 170, 200)
TABLE = (240, 140, 0)
OTHER = (150, 150, 150)


def overlay(path: str | Path, page: int, *, timeout: float | None = LIMITS.read_timeout) -> Image.Image:
    """Page `page` of a PDF with what the reader and parser found drawn over it, in the spirit of pdfplumber's
    `debug_tablefinder`: ruling lines, the table boxes they were joined into, and each cell's box coloured by
    what the parser took it for (value, label, header, heading, skipped; legend below)."""
    from PIL import ImageDraw

    from .documents import pictures
    from .documents.readers.pdf import page_layout

    doc, frame = _explained(path, timeout)
    if doc.format != "pdf" or not 1 <= page <= (doc.pages or 0):
        raise GovstatsError(doc.path, f"has no PDF page {page} to draw (an overlay needs a PDF page: "
                                      f"1–{doc.pages or 0})")
    layout = page_layout(doc.path, page)
    image = pictures.render_page(doc.path, page)
    draw = ImageDraw.Draw(image)
    scale = pictures.SCALE
    for x0, top, x1, bottom in layout.rulings:
        draw.line([(x0 * scale, top * scale), (x1 * scale, bottom * scale)], fill=RULING, width=2)
    for box in layout.tables:
        draw.rectangle([v * scale for v in box], outline=TABLE, width=4)
    for cell, role in zip(doc.cells, frame["role"]):
        if cell.page == page and cell.box is not None and not cell.span_copy:
            inset = [cell.box[0] * scale + 2, cell.box[1] * scale + 2, cell.box[2] * scale - 2,
                     cell.box[3] * scale - 2]
            if inset[2] > inset[0] and inset[3] > inset[1]:
                draw.rectangle(inset, outline=ROLE_COLORS.get(role, OTHER), width=2)
    return pictures.stack([image, _legend(image.width)])


def _legend(width: int) -> Image.Image:
    from PIL import Image, ImageDraw

    from .documents import pictures

    entries = [("ruling line", RULING), ("table", TABLE), *ROLE_COLORS.items(), ("other", OTHER)]
    image = Image.new("RGB", (width, 34), pictures.PAPER)
    draw = ImageDraw.Draw(image)
    x = 10
    for name, color in entries:
        draw.rectangle([x, 8, x + 18, 26], outline=color, width=3)
        draw.text((x + 24, 7), name, font=pictures.font(15), fill=pictures.INK)
        x += 34 + int(pictures.font(15).getlength(name))
    return image

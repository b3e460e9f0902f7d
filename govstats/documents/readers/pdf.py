"""PDF reports: PDFium reads the page, pdfplumber's table finder lays out the ruled tables.

Interpreting content streams in pure Python (pdfminer) costs a tenth of a second per page;
PDFium does it in C. Its characters and ruling lines are handed to pdfplumber's
`TableFinder` (the well-kept part we want: joining edges into cells), and only on pages
that have ruling lines. A table broken across pages needs no stitching: the parser reads
one cell stream, in which a repeated header is a header cell and a page number is noise.
"""

from __future__ import annotations

import ctypes
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.page import Page
from pdfplumber.table import Table, TableFinder
from pdfplumber.utils import chars_to_textmap

from ... import schema
from ...errors import CorruptFileError, EncryptedFileError, FileTooLargeError, ScannedDocumentError
from ...limits import LIMITS
from ...normalize import read_number
from ..lines import split_line
from ..model import Cell, Document

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_FONT_PROGRAM = re.compile(rb"/Length1\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)\b")
MIN_EDGES = 8  # horizontal + vertical ruling segments a page needs before tables are looked for
_FLAT = 0.5  # points: a segment this close to horizontal/vertical is a ruling line
_ENUMERATOR = re.compile(schema.ENUMERATOR)
_PASSWORD_ERROR = "password"  # PDFium says "Incorrect password error"

Obj = dict[str, Any]
Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points from the page's top-left corner


class _Page:
    """What pdfplumber's TableFinder reads from a page: its box, characters and edges."""

    def __init__(self, bbox: tuple[float, float, float, float], chars: list[Obj], edges: list[Obj]) -> None:
        self.bbox, self.chars, self.edges = bbox, chars, edges


def _page(bbox: tuple[float, float, float, float], chars: list[Obj], edges: list[Obj]) -> Page:
    """A _Page typed as the Page it stands in for: pdfplumber annotates TableFinder and Table with its
    concrete Page class, though they read only its bbox, chars and edges."""
    return cast(Page, _Page(bbox, chars, edges))


def _chars(textpage: pdfium.PdfTextPage, height: float) -> list[Obj]:
    """Characters with font-height (loose) boxes, so '、' and '.' sit on their text line."""
    chars = []
    rect = pdfium_c.FS_RECTF()
    for i in range(pdfium_c.FPDFText_CountChars(textpage.raw)):
        text = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i) or 32)
        if not text.strip() or not pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, i, rect):
            continue
        chars.append({"text": text, "x0": rect.left, "x1": rect.right, "top": height - rect.top,
                      "bottom": height - rect.bottom, "doctop": height - rect.top,
                      "width": rect.right - rect.left, "height": rect.top - rect.bottom, "upright": True})
    return chars


def _segments(obj: Any) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Straight segments of a raw path object, in page coordinates."""
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, m)
    out = []
    start = prev = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        pt = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
        if pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_MOVETO or prev is None:
            start = pt
        else:
            out.append((prev, pt))
        prev = pt
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            out.append((prev, start))
            prev = start
    return out


def _paths(count: int, get: Any, depth: int = 0) -> list[Any]:
    """Raw path objects of a page or form, descending into forms (bounded depth)."""
    out = []
    for k in range(count):
        obj = get(k)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            out.append(obj)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < LIMITS.max_pdf_form_depth:
            out += _paths(pdfium_c.FPDFFormObj_CountObjects(obj),
                          lambda i, o=obj: pdfium_c.FPDFFormObj_GetObject(o, i), depth + 1)
    return out


def _edges(page: pdfium.PdfPage, height: float) -> list[Obj]:
    edges = []
    raw = page.raw
    for obj in _paths(pdfium_c.FPDFPage_CountObjects(raw), lambda k: pdfium_c.FPDFPage_GetObject(raw, k)):
        for (x0, y0), (x1, y1) in _segments(obj):
            if abs(y0 - y1) <= _FLAT and abs(x1 - x0) >= 1:
                a, b = sorted((x0, x1))
                edges.append({"x0": a, "x1": b, "top": height - y0, "bottom": height - y0, "width": b - a,
                              "height": 0.0, "orientation": "h", "object_type": "line"})
            elif abs(x0 - x1) <= _FLAT and abs(y1 - y0) >= 1:
                top, bottom = sorted((height - y0, height - y1))
                edges.append({"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0.0,
                              "height": bottom - top, "orientation": "v", "object_type": "line"})
    return edges


def _images(page: pdfium.PdfPage) -> int:
    raw = page.raw
    return sum(pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(raw, k)) == pdfium_c.FPDF_PAGEOBJ_IMAGE
               for k in range(pdfium_c.FPDFPage_CountObjects(raw)))


def _inside(char: Obj, box: tuple[float, float, float, float]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _union(objs: list[Obj]) -> Box:
    return (min(o["x0"] for o in objs), min(o["top"] for o in objs),
            max(o["x1"] for o in objs), max(o["bottom"] for o in objs))


def _text_cells(chars: list[Obj], number: int) -> list[Cell]:
    """The page's text lines split into cells, each with the box of its characters.

    pdfplumber's text map lays the characters out as `extract_text` does and keeps, for each
    character of the string, the object it came from; a cell's box is the union of its own.
    """
    if not chars:
        return []
    lines: list[tuple[list[str], list[Obj | None]]] = [([], [])]
    for text, obj in chars_to_textmap(chars).tuples:
        if text == "\n":
            lines.append(([], []))
        else:
            lines[-1][0].append(text)
            lines[-1][1].extend([obj] * len(text))
    cells = []
    for parts, objs in lines:
        line = "".join(parts)
        pos = 0
        for t in split_line(line):
            start = line.find(t, pos)
            found = [o for o in objs[start:start + len(t)] if o is not None] if start >= 0 else []
            pos = start + len(t) if start >= 0 else pos
            cells.append(Cell(t, page=number, box=_union(found) if found else None))
    return cells


@dataclass
class _Piece:
    """The part of a ruled table that stands on one page: rows of cell texts (None = merged)."""

    page: int
    rows: list[list[str | None]]
    boxes: list[list[Box | None]]  # each cell's ruled box (None where a merged cell covers it)


Block = _Piece | list[Cell]


def _found(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> tuple[list[Obj], list[Obj], list[Table]]:
    """A page's characters, ruling lines and the tables pdfplumber's finder joins them into, top to bottom."""
    width, height = page.get_size()
    chars = _chars(textpage, height)
    edges = _edges(page, height) if chars else []
    tables = TableFinder(_page((0, 0, width, height), chars, edges), {}).tables if len(edges) >= MIN_EDGES else []
    tables.sort(key=lambda t: t.bbox[1])
    return chars, edges, tables


@dataclass
class Layout:
    """What the reader found on a page, for a picture of it (`debug.overlay`): ruling lines and table boxes."""

    size: tuple[float, float]
    rulings: list[Box]  # each segment as a box of zero width or height
    tables: list[Box]


def page_layout(path: Path, number: int) -> Layout:
    """The ruling lines and table boxes of page `number` (1-based) as `read_pdf` finds them."""
    pdf = _open(path, path.read_bytes())
    try:
        page = pdf[number - 1]
        _, edges, tables = _found(page, page.get_textpage())
        return Layout(page.get_size(), [(e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges],
                      [t.bbox for t in tables])
    finally:
        pdf.close()


def _page_blocks(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, number: int) -> list[Block]:
    """Text lines and table pieces of one page, top to bottom."""
    chars, _, tables = _found(page, textpage)
    blocks: list[Block] = []
    above = 0.0
    for table in tables:
        box = table.bbox
        blocks.append(_text_cells([c for c in chars if above <= c["top"] < box[1] and not _inside(c, box)], number))
        inner = Table(_page(box, [c for c in chars if _inside(c, box)], []), table.cells)  # extract() scans chars
        blocks.append(_Piece(number, inner.extract(), [list(row.cells) for row in inner.rows]))
        above = box[3]
    blocks.append(_text_cells([c for c in chars if c["top"] >= above and not any(_inside(c, t.bbox) for t in tables)],
                              number))
    return [b for b in blocks if b]


def _is_number(text: str | None) -> bool:
    if not text:
        return False
    return read_number(text).kind == "number"


def _continues(last: list[str | None], first: list[str | None]) -> bool:
    """Whether `first` (top of a page) is the rest of row `last` that the page break split.

    The rest holds only label fragments, in label columns, none starting a new numbered
    label; the row it continues holds numbers.
    """
    texts = [(c, t) for c, t in enumerate(first) if t and t.strip()]
    return (
        bool(texts)
        and any(_is_number(t) for t in last)
        and not any(_is_number(t) or _ENUMERATOR.match(t) or _is_number(last[c]) for c, t in texts)
    )


def _stitch(blocks: list[Block]) -> list[Block]:
    """Join a table's pieces across page breaks: a repeated header is dropped, a split row joined."""
    previous: _Piece | None = None
    head: list[list[str | None]] = []  # the first piece's rows, as printed, for repeated headers
    between: list[list[Cell]] = []
    for block in blocks:
        if not isinstance(block, _Piece):
            between.append(block)
            continue
        if (
            previous is not None
            and block.page == previous.page + 1
            and block.rows and previous.rows and len(block.rows[0]) == len(previous.rows[0])
            and all(len(b) <= 3 and all(len(c.text) <= 20 for c in b) for b in between)  # page footers only
        ):
            k = 0
            while k < min(len(block.rows), len(head)) and block.rows[k] == head[k]:
                k += 1
            del block.rows[:k], block.boxes[:k]
            if block.rows and _continues(previous.rows[-1], block.rows[0]):
                last = previous.rows[-1]
                del block.boxes[0]  # the joined row keeps the box of its first part, where its values stand
                for c, text in enumerate(block.rows.pop(0)):
                    if text and last[c] is not None:
                        last[c] = f"{last[c]}\n{text}"
        else:
            head = [list(row) for row in block.rows]
        previous, between = block, []
    return blocks


def _cells(blocks: list[Block]) -> list[Cell]:
    cells: list[Cell] = []
    tables = 0
    for block in blocks:
        if isinstance(block, _Piece):
            cells += [
                Cell(text or "", block.page, tables, r, c, span_copy=text is None, box=box)
                for r, (row, boxes) in enumerate(zip(block.rows, block.boxes))
                for c, (text, box) in enumerate(zip(row, boxes))
            ]
            tables += 1
        else:
            cells += block
    return cells


def _inflated_size(data: bytes, start: int, limit: int) -> int:
    """Bytes the deflate stream at `start` expands to, counted up to limit + 1 without keeping them."""
    z = zlib.decompressobj()
    size = 0
    try:
        for pos in range(start, len(data), 1 << 16):
            size += len(z.decompress(data[pos:pos + (1 << 16)], limit + 1 - size))
            while z.unconsumed_tail and size <= limit:
                size += len(z.decompress(z.unconsumed_tail, limit + 1 - size))
            if z.eof or size > limit:
                break
    except zlib.error:
        pass  # not deflate data after all, or damaged: PDFium reports what it cannot read
    return size


def _check_streams(path: Path, data: bytes) -> None:
    """Refuse a decompression bomb before PDFium inflates it (PDFium aborts the process when memory runs out)."""
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - 2048):m.start()]
        head = head[head.rfind(b"obj"):]
        if b"/FlateDecode" not in head or re.search(rb"/Subtype\s*/Image\b", head):
            continue
        limit = LIMITS.max_pdf_font_bytes if _FONT_PROGRAM.search(head) else LIMITS.max_pdf_stream_bytes
        if _inflated_size(data, m.end(), limit) > limit:
            raise FileTooLargeError(path, f"a compressed stream at byte {m.end():,} expands beyond {limit:,} bytes "
                                          "(a decompression bomb)")


def _open(path: Path, data: bytes) -> pdfium.PdfDocument:
    if b"%%EOF" not in data[-2048:]:
        raise CorruptFileError(path, "a truncated PDF: the end-of-file marker is missing")
    _check_streams(path, data)
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if _PASSWORD_ERROR in str(exc):
            raise EncryptedFileError(path, "the PDF is encrypted (password protected)") from exc
        raise CorruptFileError(path, f"a damaged PDF that cannot be opened ({exc})") from exc


def read_pdf(path: Path, data: bytes) -> Document:
    pdf = _open(path, data)
    try:
        if len(pdf) > LIMITS.max_pdf_pages:
            raise FileTooLargeError(path, f"{len(pdf)} pages, more than the {LIMITS.max_pdf_pages} a report can have")
        blocks: list[Block] = []
        texts: list[str] = []
        images = 0
        for number in range(1, len(pdf) + 1):
            try:
                page = pdf[number - 1]
                textpage = page.get_textpage()
                if (chars := pdfium_c.FPDFText_CountChars(textpage.raw)) > LIMITS.max_pdf_page_chars:
                    raise FileTooLargeError(path, f"page {number} holds {chars:,} characters, more than the "
                                                  f"{LIMITS.max_pdf_page_chars:,} a report page can")
                texts.append(textpage.get_text_range().replace("\r\n", "\n"))
                blocks += _page_blocks(page, textpage, number)
                images += _images(page) if not texts[-1].strip() else 0
            except pdfium.PdfiumError as exc:
                raise CorruptFileError(path, f"page {number} cannot be read ({exc})") from exc
        if not any(t.strip() for t in texts):
            if not images:
                raise CorruptFileError(path, f"a PDF of {len(pdf)} page(s) with neither text nor images: "
                                             "nothing to read")
            raise ScannedDocumentError(path, f"a scanned document: {len(pdf)} page(s) of images without a text layer "
                                             "(needs OCR)")
        cells = _cells(_stitch(blocks))
        return Document(path=path, format="pdf", text="\n".join(texts), cells=cells, pages=len(pdf))
    finally:
        pdf.close()

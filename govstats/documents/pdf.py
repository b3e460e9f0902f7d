"""PDF reports with pdfplumber: text lines and ruled tables, page by page.

Table detection is the expensive step, so it runs only on pages that have ruling lines
(a text-only page cannot hold a ruled table). A table broken across pages needs no
stitching here: the parser reads one cell stream, in which a repeated header is a header
cell and a page number is noise.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import CorruptFileError, EncryptedFileError, FileTooLargeError, ScannedDocumentError
from .model import Cell, Document
from .text import split_line

MAX_PAGES = 300
MIN_RULINGS = 4  # lines + rectangles a page needs before tables are looked for
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _page_items(page: pdfplumber.page.Page, number: int, first_table: int) -> tuple[list[tuple[float, list[Cell]]], int]:
    """(top, cells) blocks of one page in reading order; returns them and the tables used."""
    tables = page.find_tables() if len(page.lines) + len(page.rects) >= MIN_RULINGS else []
    boxes = [t.bbox for t in tables]
    blocks: list[tuple[float, list[Cell]]] = []
    for line in page.extract_text_lines(return_chars=False):
        if not _inside(line, boxes):
            blocks.append((line["top"], [Cell(t, page=number) for t in split_line(line["text"])]))
    for k, table in enumerate(tables):
        index = first_table + k
        cells = [
            Cell(text or "", number, index, r, c, span_copy=text is None)
            for r, row in enumerate(table.extract())
            for c, text in enumerate(row)
        ]
        blocks.append((table.bbox[1], cells))
    blocks.sort(key=lambda b: b[0])
    return blocks, len(tables)


def read_pdf(path: Path, data: bytes) -> Document:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise EncryptedFileError(path, "the PDF is encrypted (password protected)") from exc
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise EncryptedFileError(path, "the PDF is encrypted (password protected)") from exc
        raise CorruptFileError(path, f"a damaged or truncated PDF ({cause!r})") from exc
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise CorruptFileError(path, f"a damaged or truncated PDF ({exc!r})") from exc
    with pdf:
        try:
            pages = pdf.pages
        except Exception as exc:  # pdfminer raises many kinds on a broken page tree
            raise CorruptFileError(path, f"a damaged or truncated PDF: no page tree ({exc!r})") from exc
        if len(pages) > MAX_PAGES:
            raise FileTooLargeError(path, f"{len(pages)} pages, more than the {MAX_PAGES} a report can have")
        cells: list[Cell] = []
        lines: list[str] = []
        tables = 0
        images = 0
        for number, page in enumerate(pages, 1):
            try:
                blocks, used = _page_items(page, number, tables)
                images += len(page.images)
            except Exception as exc:  # a broken content stream: name the page
                raise CorruptFileError(path, f"page {number} cannot be read ({exc!r})") from exc
            finally:
                page.close()
            tables += used
            for _, block in blocks:
                cells.extend(block)
                lines.append(" ".join(c.text for c in block if not c.span_copy))
        if not any(c.text.strip() for c in cells):
            if images:
                raise ScannedDocumentError(path, f"a scanned document: {len(pages)} pages of images and no text layer (needs OCR)")
            raise CorruptFileError(path, "the PDF has no text and no images")
        return Document(path=path, format="pdf", text="\n".join(lines), cells=cells, pages=len(pages))

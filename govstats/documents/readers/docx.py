"""Word (DOCX) reports: paragraphs and tables in body order, merged cells expanded.

Spans are read from the XML (`w:gridSpan`, `w:vMerge`) rather than from python-docx's
`row.cells`, which repeats one object for a merge and so cannot tell a merge from its
neighbours. As in html.py, a table that contains another table is page layout: its
cells are read as blocks and the inner tables as grids.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.package import Package
from lxml.etree import _Element

from ...errors import CorruptFileError
from ..archive import check_zip
from ..builder import Builder
from ..model import Document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WRAPPERS = frozenset({W + "sdt", W + "sdtContent", W + "customXml"})
_REMOVED = frozenset({W + "del", W + "moveFrom"})  # tracked changes: text no longer in the document
_SPACE = re.compile(r"\s+")


def _children(el: _Element) -> Iterator[_Element]:
    """Block children, looking through content controls and custom-XML wrappers."""
    for child in el:
        if child.tag in _WRAPPERS:
            yield from _children(child)
        else:
            yield child


def _paragraph_text(p: _Element) -> str:
    """Text of the runs of a paragraph; w:br and w:cr become line breaks, w:tab a tab."""
    parts: list[str] = []
    for run in p.iter(W + "r"):
        if run.getparent().tag in _REMOVED:
            continue
        for el in run:
            if el.tag == W + "t":
                parts.append(el.text or "")
            elif el.tag == W + "tab":
                parts.append("\t")
            elif el.tag in (W + "br", W + "cr"):
                parts.append("\n")
    return "".join(parts)


def _cell_text(tc: _Element) -> str:
    """A cell's paragraphs, one line each, white space collapsed, empty lines dropped."""
    text = "\n".join(_paragraph_text(p) for p in _children(tc) if p.tag == W + "p")
    return "\n".join(line for line in (_SPACE.sub(" ", s).strip() for s in text.splitlines()) if line)


def _number(owner: _Element, path: str, default: int) -> int:
    el = owner.find(path)
    if el is None:
        return default
    try:
        return int(el.get(W + "val"))
    except (TypeError, ValueError):
        return default


@dataclass(slots=True)
class _Span:
    text: str
    rowspan: int
    colspan: int


def _spans(tbl: _Element) -> list[list[tuple[str, int, int]]]:
    """(text, rowspan, colspan) rows for `expand_spans`.

    A vMerge continuation is no cell of its own: it adds one to the rowspan of the cell
    that started the merge in the same grid column (and of the same width).
    """
    rows: list[list[_Span]] = []
    above: dict[int, _Span] = {}  # grid column -> merge open in the previous row
    for tr in (c for c in _children(tbl) if c.tag == W + "tr"):
        col = max(0, _number(tr, f"{W}trPr/{W}gridBefore", 0))
        row = [_Span("", 1, col)] if col else []
        merges: dict[int, _Span] = {}
        for tc in (c for c in _children(tr) if c.tag == W + "tc"):
            span = max(1, _number(tc, f"{W}tcPr/{W}gridSpan", 1))
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            start = above.get(col)
            if vmerge is not None and vmerge.get(W + "val") in (None, "continue") and start and start.colspan == span:
                start.rowspan += 1
                merges[col] = start
            else:
                cell = _Span(_cell_text(tc), 1, span)
                row.append(cell)
                if vmerge is not None:  # a restart, or a continuation with nothing above: starts one
                    merges[col] = cell
            col += span
        above = merges
        rows.append(row)
    return [[(s.text, s.rowspan, s.colspan) for s in row] for row in rows]


class _Walker(Builder):
    def block(self, el: _Element) -> None:
        for child in _children(el):
            if child.tag == W + "p":
                self.paragraph(_paragraph_text(child))
            elif child.tag == W + "tbl":
                self.word_table(child)

    def paragraph(self, text: str) -> None:
        self.text(text.replace("\t", "  "))  # a tab in running text lines columns up, as a run of spaces does

    def word_table(self, tbl: _Element) -> None:
        if next(tbl.iterdescendants(W + "tbl"), None) is not None:
            for tr in (c for c in _children(tbl) if c.tag == W + "tr"):
                for tc in (c for c in _children(tr) if c.tag == W + "tc"):
                    self.block(tc)
            return
        self.table(_spans(tbl))


def read_docx(path: Path, data: bytes) -> Document:
    check_zip(path, data)
    try:
        part = Package.open(io.BytesIO(data)).main_document_part
        # macro-enabled files and templates (.docm, .dotx) hold the same XML under another content type
        body = (part.element if isinstance(part, XmlPart) else parse_xml(part.blob)).body
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors... on damaged files
        raise CorruptFileError(path, f"a damaged Word file ({type(exc).__name__}: {exc})") from exc
    if body is None:
        raise CorruptFileError(path, "a Word file without a document body")
    for fallback in list(body.iter(_FALLBACK)):  # the same text box again, for old readers
        fallback.getparent().remove(fallback)
    walker = _Walker()
    walker.block(body)
    return walker.document(path, "docx")

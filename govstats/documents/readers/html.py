"""Web pages: text blocks in reading order, data tables as span-expanded grids.

A table that contains another table is page layout, not data: its cells are read as
blocks and the inner tables as grids.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html

from ...errors import CorruptFileError
from ...limits import LIMITS
from ..builder import Builder
from ..decode import decode_bytes
from ..model import Document

_BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol tr td th table section article header footer "
    "blockquote pre center dd dt dl form title caption tbody thead tfoot".split()
)
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "iframe", "object", "svg"})
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_META_NAMES = ("ArticleTitle", "Title", "og:title")  # the article's own title, read by metadata
_SPAN = re.compile(r"\d+")


def _span(el: lxml.html.HtmlElement, attr: str) -> int:
    m = _SPAN.search(el.get(attr) or "")
    return int(m.group()) if m else 1


def _text(el: lxml.html.HtmlElement) -> str:
    """Text of a cell with <br> and block breaks kept as line breaks."""
    parts: list[str] = []
    for node in el.iter():
        if node is not el and isinstance(node.tag, str) and node.tag.lower() in ("br", "p", "div"):
            parts.append("\n")
        if isinstance(node.tag, str) and node.tag.lower() in _SKIP:
            continue
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return re.sub(r"[ \t\r\f\v\xa0\u3000]+", " ", "".join(parts)).strip()


def _rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return [tr for tr in table.iter("tr") if _owner(tr) is table]


def _owner(el: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


class _Walker(Builder):
    def __init__(self) -> None:
        super().__init__()
        self.buf: list[str] = []

    def flush(self) -> None:
        self.text("".join(self.buf))
        self.buf.clear()

    def html_table(self, el: lxml.html.HtmlElement) -> None:
        self.flush()
        self.table([
            [(_text(td), _span(td, "rowspan"), _span(td, "colspan")) for td in tr if td.tag in ("td", "th")]
            for tr in _rows(el)
        ])

    def walk(self, el: lxml.html.HtmlElement, depth: int = 0) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SKIP or not tag:
            if el.tail:
                self.buf.append(el.tail)
            return
        if tag == "table" and not any(True for _ in el.iterdescendants("table")):
            self.html_table(el)
        else:
            block = tag in _BLOCK or tag == "br"
            if block:
                self.buf.append("\n")
            if el.text:
                self.buf.append(el.text)
            for child in el:
                if depth < LIMITS.max_html_depth:
                    self.walk(child, depth + 1)
                else:
                    self.buf.append(child.text_content())
            if block:
                self.buf.append("\n")
        if el.tail:
            self.buf.append(el.tail)


def read_html(path: Path, data: bytes) -> Document:
    text = _XML_DECL.sub("", decode_bytes(data, path, html=True))
    try:
        root = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=False, recover=True))
    except (lxml.etree.LxmlError, ValueError) as exc:  # ParserError, XMLSyntaxError (limits hit)
        raise CorruptFileError(path, f"HTML that cannot be parsed ({exc})") from exc
    title_el = root.find(".//title")
    title = _text(title_el) if title_el is not None else None
    meta = {
        name: m.get("content", "").strip()
        for m in root.iter("meta")
        for name in _META_NAMES
        if (m.get("name") or m.get("property") or "").lower() == name.lower() and m.get("content")
    }
    body = root.find("body")
    walker = _Walker()
    walker.walk(body if body is not None else root)
    walker.flush()
    return walker.document(path, "html", title=title, meta=meta)

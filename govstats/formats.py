"""The one list of document formats govstats knows.

A format knows its file suffixes, how to recognise its bytes, which reader reads it and
whether the fetcher keeps it as a report document. The CLI, the build, the fetcher and
its safety checks all ask this registry, so a new format is one entry here plus its
reader in `govstats/documents/readers/`.

The format of a file is taken from its content, never from its name: government sites
serve HTML saved as `.doc`, DOCX named `.doc` and error pages named `.pdf`. Suffixes only
say which files below a folder are documents and which links are attachments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_HTML_HINTS = (b"<html", b"<!doctype html", b"<body", b"<table", b"<div", b"<p>", b"<p ", b"<head", b"<meta")
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13, 27}
_ZIP_PROBE = 65536  # a zip's part names stand near its start (local headers) or its end (central directory)


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _zip_part(data: bytes, prefix: bytes) -> bool:
    return data.startswith(_ZIP) and (prefix in data[:_ZIP_PROBE] or prefix in data[-_ZIP_PROBE:])


def _ole_stream(data: bytes, *names: str) -> bool:
    return data.startswith(_OLE) and any(_utf16(n) in data for n in names)


def _plain_text(data: bytes) -> bool:
    """Not a container and not binary: few control bytes (UTF-16 with a BOM is text)."""
    if data.startswith((_ZIP, _OLE)):
        return False
    sample = data[:8192]
    return sample.startswith((b"\xff\xfe", b"\xfe\xff")) or sum(map(_CONTROL.__contains__, sample)) <= len(sample) // 20


# A pipe table's delimiter row (`|---|:--:|`) or an ATX heading (`## 三、…`) at a line start:
# plain-text exports print neither, and HTML is asked first.
_MARKDOWN = re.compile(rb"^ {0,3}(?:\|? *:?-+:? *\|[ :|-]*\r?$|#{1,6} +\S)", re.M)
_MARKDOWN_PROBE = 65536  # a long opening section may stand before the first table


def _markdown(data: bytes) -> bool:
    return _plain_text(data) and _MARKDOWN.search(data[:_MARKDOWN_PROBE]) is not None


def _html(data: bytes) -> bool:
    low = data[:8192].lower()
    return _plain_text(data) and any(h in low for h in _HTML_HINTS)


@dataclass(frozen=True)
class Format:
    """One document format. `reader` is 'module:function' below govstats.documents."""

    name: str
    suffixes: tuple[str, ...]  # the first is what a fetched file of this format is named with
    sniff: Callable[[bytes], bool]  # asked in registry order; the first format that says yes wins
    reader: str
    fetchable: bool = True  # a link with one of these suffixes is a report document to fetch
    text: bool = False  # read whole into memory as text: the smaller text size cap applies
    page: bool = False  # a web page: list pages and articles, named .html when fetched


FORMATS: tuple[Format, ...] = (
    Format("pdf", (".pdf",), lambda d: b"%PDF-" in d[:1024], "readers.pdf:read_pdf"),
    Format("docx", (".docx",), lambda d: _zip_part(d, b"word/"), "readers.docx:read_docx"),
    Format("xlsx", (".xlsx",), lambda d: _zip_part(d, b"xl/"), "readers.xlsx:read_xlsx"),
    # A password-protected DOCX/XLSX is an OLE file holding an EncryptedPackage: refused clearly.
    Format("encrypted", (), lambda d: _ole_stream(d, "EncryptedPackage"), "archive:refuse_encrypted", fetchable=False),
    Format("doc", (".doc", ".wps"), lambda d: _ole_stream(d, "WordDocument"), "readers.office:read_doc"),
    Format("xls", (".xls",), lambda d: _ole_stream(d, "Workbook", "Book"), "readers.xls:read_xls"),
    Format("rtf", (".rtf",), lambda d: d[:2048].lstrip().startswith(b"{\\rtf"), "readers.office:read_rtf"),
    Format("html", (".html", ".htm", ".shtml"), _html, "readers.html:read_html", text=True, page=True),
    Format("md", (".md", ".markdown"), _markdown, "readers.markdown:read_markdown", text=True),
    Format("txt", (".txt",), _plain_text, "readers.text:read_text", text=True),
)
BY_NAME = {f.name: f for f in FORMATS}
SUFFIXES = frozenset(s for f in FORMATS for s in f.suffixes)
DOCUMENT_SUFFIXES = frozenset(s for f in FORMATS if f.fetchable and not f.page and not f.text for s in f.suffixes)
PAGE_SUFFIXES = frozenset(s for f in FORMATS if f.page for s in f.suffixes)


def sniff(data: bytes) -> str | None:
    """The name of the format of these bytes, or None for binary data of no known format."""
    return next((f.name for f in FORMATS if f.sniff(data)), None)


def report_files(root: Path) -> list[Path]:
    """The document files below root (or root itself), in a stable order."""
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)

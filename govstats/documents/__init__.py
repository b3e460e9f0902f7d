"""Format readers: a file's bytes in, a `Document` (text + located cells) out.

The format is taken from the content (magic bytes), never from the extension:
government sites serve HTML saved as `.doc`, DOCX named `.doc` and error pages named
`.pdf`.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from pathlib import Path

from ..errors import CorruptFileError, FileTooLargeError, UnsupportedFormatError
from .model import Cell, Document

MAX_FILE_BYTES = 100 * 1024 * 1024
# A report's web page or text is at most a few MB; dense table text costs ~70 bytes of memory a byte to read.
MAX_TEXT_BYTES = 16 * 1024 * 1024

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_HINTS = (b"<html", b"<!doctype html", b"<body", b"<table", b"<div", b"<p>", b"<p ", b"<head", b"<meta")


_CONTROL = frozenset(range(32)) - {9, 10, 12, 13, 27}


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def sniff(data: bytes) -> str | None:
    """The format of a file from its first bytes: pdf, docx, xlsx, xls, doc, rtf, html, txt
    (or 'encrypted': a password-protected DOCX/XLSX, an OLE file holding an EncryptedPackage)."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or b"word/" in data[-65536:]:
            return "docx"
        if b"xl/" in data[:65536] or b"xl/" in data[-65536:]:
            return "xlsx"
        return None
    if head.startswith(_OLE):
        if _utf16("EncryptedPackage") in data:
            return "encrypted"
        if _utf16("WordDocument") in data:
            return "doc"
        if _utf16("Workbook") in data or _utf16("Book") in data:
            return "xls"
        return None
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    sample = data[:8192]
    if not sample.startswith((b"\xff\xfe", b"\xfe\xff")) and sum(map(_CONTROL.__contains__, sample)) > len(sample) // 20:
        return None  # control bytes: binary data, not text
    low = sample.lower()
    if any(h in low for h in _HTML_HINTS):
        return "html"
    return "txt"


# format -> (module, reader function); imported on first use, so reading HTML does not
# pay for importing the PDF and Office libraries.
READERS = {
    "html": ("html", "read_html"), "txt": ("text", "read_text"), "pdf": ("pdf", "read_pdf"),
    "docx": ("docx", "read_docx"), "xlsx": ("xlsx", "read_xlsx"), "xls": ("xls", "read_xls"),
    "doc": ("convert", "read_doc"), "rtf": ("convert", "read_rtf"), "encrypted": ("archive", "refuse_encrypted"),
}


def _reader(fmt: str) -> Callable[[Path, bytes], Document]:
    module, name = READERS[fmt]
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def load_document(path: str | Path) -> Document:
    """Read any supported file into a Document, or raise a GovstatsError naming it."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CorruptFileError(path, f"cannot open the file ({exc.strerror or exc})") from exc
    if size > MAX_FILE_BYTES:
        raise FileTooLargeError(path, f"{size:,} bytes, more than the {MAX_FILE_BYTES:,} accepted")
    data = path.read_bytes()
    if not data.strip():
        raise CorruptFileError(path, "the file is empty")
    fmt = sniff(data)
    if fmt is None or fmt not in READERS:
        kind = fmt or "binary data of no known document format"
        raise UnsupportedFormatError(path, f"cannot read {kind} (extension {path.suffix or 'none'})")
    if fmt in ("html", "txt") and size > MAX_TEXT_BYTES:
        raise FileTooLargeError(path, f"{size:,} bytes of {fmt}, more than the {MAX_TEXT_BYTES:,} a report's text needs")
    doc = _reader(fmt)(path, data)
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc


__all__ = ["Cell", "Document", "load_document", "sniff"]

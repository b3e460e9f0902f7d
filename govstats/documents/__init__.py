"""Documents: a file's bytes in, a `Document` (text + located cells) out.

The format is sniffed from the content by the registry in `govstats.formats`, which names
the reader in `readers/` for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from ..errors import CorruptFileError, FileTooLargeError, UnsupportedFormatError
from ..formats import BY_NAME, Format, sniff
from ..limits import LIMITS
from ..util.hashing import sha256_bytes
from .model import Cell, Document


def _reader(fmt: Format) -> Callable[[Path, bytes], Document]:
    """The reader of a format, imported on first use: reading HTML does not pay for PDF and Office libraries."""
    module, name = fmt.reader.split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def load_document(path: str | Path) -> Document:
    """Read any supported file into a Document, or raise a GovstatsError naming it."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CorruptFileError(path, f"cannot open the file ({exc.strerror or exc})") from exc
    if size > LIMITS.max_file_bytes:
        raise FileTooLargeError(path, f"{size:,} bytes, more than the {LIMITS.max_file_bytes:,} accepted")
    return read_document(path, path.read_bytes())


def read_document(path: Path, data: bytes) -> Document:
    """Read bytes already in memory (a fetched page) as the document `path` names, or raise a GovstatsError."""
    if not data.strip():
        raise CorruptFileError(path, "the file is empty")
    name = sniff(data)
    if name is None:
        raise UnsupportedFormatError(path, "cannot read binary data of no known document format "
                                           f"(extension {path.suffix or 'none'})")
    fmt = BY_NAME[name]
    if fmt.text and len(data) > LIMITS.max_text_bytes:
        raise FileTooLargeError(path, f"{len(data):,} bytes of {name}, "
                                      f"more than the {LIMITS.max_text_bytes:,} a report's text needs")
    doc = _reader(fmt)(path, data)
    doc.sha256 = sha256_bytes(data)
    return doc


__all__ = ["Cell", "Document", "load_document", "read_document", "sniff"]

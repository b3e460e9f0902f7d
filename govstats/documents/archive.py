"""Guards run before a DOCX/XLSX zip reaches python-docx or openpyxl.

Those libraries inflate every part they need into memory, so a zip bomb or a
hostile entry name must be refused from the central directory alone. zipfile never
returns more than an entry's declared size, so checking the declared sizes is enough.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

from ..errors import ArchiveBombError, CorruptFileError, EncryptedFileError
from ..limits import LIMITS
from .model import Document


def check_zip(path: Path, data: bytes) -> None:
    """Raise unless `data` is a zip that is safe to expand."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise CorruptFileError(path, f"a damaged zip archive ({exc})") from exc
    if len(infos) > LIMITS.max_archive_entries:
        raise ArchiveBombError(path, f"{len(infos):,} zip entries, more than {LIMITS.max_archive_entries:,}")
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or ".." in PurePosixPath(name).parts or (len(name) > 1 and name[1] == ":"):
            raise ArchiveBombError(path, f"zip entry with an unsafe name {info.filename!r}")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > LIMITS.archive_ratio_min_bytes and ratio > LIMITS.max_archive_ratio:
            raise ArchiveBombError(
                path, f"zip entry {info.filename!r} expands {ratio:,.0f} times to {info.file_size:,} bytes"
            )
        total += info.file_size
    if total > LIMITS.max_archive_bytes:
        raise ArchiveBombError(path, f"zip expands to {total:,} bytes, more than {LIMITS.max_archive_bytes:,}")


def refuse_encrypted(path: Path, data: bytes) -> Document:
    """Reader for an OLE file holding an 'EncryptedPackage': a password-protected DOCX/XLSX."""
    raise EncryptedFileError(path, "a password-protected Office document (remove the password and save again)")

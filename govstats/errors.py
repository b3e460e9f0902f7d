"""One small exception hierarchy: every error names the file and the reason."""

from __future__ import annotations

from pathlib import Path


class GovstatsError(Exception):
    """A document could not be read. `str(err)` is '<file>: <reason>'."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnsupportedFormatError(GovstatsError):
    """The bytes are of no format govstats reads."""


class DecodeError(GovstatsError):
    """Text whose encoding could not be determined."""


class NotAReportError(GovstatsError):
    """A readable document that is not a 政府信息公开工作年度报告."""


class CorruptFileError(GovstatsError):
    """A truncated or damaged file of a known format."""


class EncryptedFileError(GovstatsError):
    """A password-protected document."""


class ScannedDocumentError(GovstatsError):
    """A PDF without a text layer: an image scan that would need OCR."""


class FileTooLargeError(GovstatsError):
    """A file, or an archive member, beyond the size govstats accepts."""


class ArchiveBombError(GovstatsError):
    """A DOCX/XLSX zip whose expansion is absurd (a zip bomb)."""


class ConversionError(GovstatsError):
    """A legacy Office file that LibreOffice could not convert (or is not installed)."""


class ReadTimeoutError(GovstatsError):
    """Reading took longer than the per-file limit."""

"""Every cap on what one file, page or request may cost, in one place, and the per-file time limit.

A hostile or pathological file must fail with a clear error, never hang a run or exhaust
memory; each cap below says what it bounds and why its value is enough for a real report.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import GovstatsError, ReadTimeoutError

KIB = 1024
MIB = 1024 * KIB


@dataclass(frozen=True, slots=True)
class Limits:
    """The caps (units in the names: bytes, seconds, counts). Frozen: change one with `dataclasses.replace`."""

    # --- a whole file
    read_timeout: float = 120.0  # seconds per file (read_report, the build); LibreOffice on a large DOC takes a while
    kill_grace: float = 2.0  # seconds past read_timeout before a build worker that did not stop itself is killed
    max_file_bytes: int = 100 * MIB  # the largest file read or downloaded; real reports are a few MB
    max_text_bytes: int = 16 * MIB  # a web page or text file: a report's is a few MB, and reading costs ~70x in memory
    conversion_timeout: float = 120.0  # one LibreOffice conversion (DOC/WPS/RTF to DOCX, or DOCX to PDF)
    # --- DOCX/XLSX zip archives, checked from the central directory before any part is inflated
    max_archive_bytes: int = 256 * MIB  # all entries expanded
    max_archive_ratio: int = 200  # expansion of one large entry: more is a zip bomb
    archive_ratio_min_bytes: int = 1 * MIB  # entries smaller than this (XML parts) may compress better than the ratio
    max_archive_entries: int = 10_000  # a report's zip has dozens
    # --- PDF (PDFium inflates a stream whole and needs ~80 bytes of memory a byte of page operators)
    max_pdf_pages: int = 300  # the longest reports have a few dozen
    max_pdf_stream_bytes: int = 8 * MIB  # one inflated content stream
    max_pdf_font_bytes: int = 64 * MIB  # one inflated font program: may be a whole CJK font (images are not decoded)
    max_pdf_page_chars: int = 50_000  # characters on one page; a dense report page has a few thousand
    max_pdf_form_depth: int = 3  # nesting of form XObjects followed for text
    # --- tables and text
    max_html_depth: int = 400  # element nesting; deeper is flattened, so a hostile page cannot blow the stack
    max_colspan: int = 64  # a merged cell's width, clipped as browsers do; report tables are a dozen columns wide
    max_sheet_cells: int = 1_000_000  # of a used range read cell by cell (a report's has a few thousand)
    max_label_chars: int = 80  # longer cell text is prose, not a row or column label
    # --- fetching
    max_redirects: int = 10  # per request, as browsers allow
    max_robots_bytes: int = 512 * KIB  # of robots.txt parsed (Google reads 500 KiB)
    max_name_bytes: int = 150  # UTF-8 bytes of a saved file's name: room under the 255 of most file systems


LIMITS = Limits()


@contextlib.contextmanager
def time_limit(path: str | Path, seconds: float | None) -> Iterator[None]:
    """Raise ReadTimeoutError naming `path` when the block runs longer than `seconds`.

    Uses SIGALRM, so it applies in the main thread of a process (the CLI and every build
    worker); elsewhere, or with seconds=None, the block runs unbounded.
    """
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    fired = False
    reason = f"reading took longer than {seconds:g} s"

    def expire(signum: int, frame: object) -> None:
        nonlocal fired
        fired = True
        raise ReadTimeoutError(path, reason)

    previous = signal.signal(signal.SIGALRM, expire)
    # Fires again every second: a library that swallows the alarm (`except Exception`) gets another.
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    except GovstatsError as exc:
        if fired and not isinstance(exc, ReadTimeoutError):  # a reader wrapped the alarm as a damaged file
            raise ReadTimeoutError(path, reason) from exc
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

"""Legacy Word files (DOC, WPS, RTF): converted to DOCX by LibreOffice, then read as DOCX.

No Python library reads .doc tables with their merges; LibreOffice does. Every run gets
its own temporary profile (LibreOffice locks a shared one, so parallel runs would
clash) and its own process group, so a timeout kills soffice.bin too, not just the
wrapper script.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ...errors import ConversionError
from ...limits import LIMITS
from ..model import Document
from .docx import read_docx
from .office_server import server_convert, unconvertible

INSTALL_HINT = ("LibreOffice is not installed (no soffice on PATH); install it to read .doc/.wps/.rtf "
                "(Debian: apt-get install libreoffice-writer-nogui)")


def soffice_convert(src: Path, to: str, outdir: Path, *, name: Path | None = None,
                    timeout: float | None = None) -> Path:
    """Convert `src` to format `to` (docx, doc, pdf, ...) in `outdir`; return the new file.

    Errors name `name` (the user's file) when `src` is a temporary copy of it.
    """
    name = name or src
    timeout = LIMITS.conversion_timeout if timeout is None else timeout
    exe = shutil.which("soffice")
    if exe is None:
        raise ConversionError(name, INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="govstats-soffice-") as profile:
        cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", to, "--outdir", str(outdir), str(src)]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ConversionError(name, f"LibreOffice did not convert it within {timeout:g} s") from None
        except BaseException:  # read_report's own time limit (or Ctrl-C) must not leave soffice running
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
    target = outdir / f"{src.stem}.{to.split(':')[0]}"
    if proc.returncode != 0 or not target.is_file():
        raise unconvertible(name, to, output.decode("utf-8", "replace"))
    return target


def _convert_once(path: Path, data: bytes, fmt: str) -> bytes:
    """DOCX bytes of `data` from a LibreOffice started for this file alone."""
    with tempfile.TemporaryDirectory(prefix="govstats-convert-") as tmp:
        src = Path(tmp) / f"source.{fmt}"  # a plain name: soffice mishandles some characters in paths
        src.write_bytes(data)
        return soffice_convert(src, "docx", Path(tmp) / "out", name=path).read_bytes()


def _read_via_docx(path: Path, data: bytes, fmt: str) -> Document:
    docx_bytes = server_convert(data, "docx", path)  # a build worker's running LibreOffice, when it has one
    if docx_bytes is None:
        docx_bytes = _convert_once(path, data, fmt)
    return dataclasses.replace(read_docx(path, docx_bytes), format=fmt)


def read_doc(path: Path, data: bytes) -> Document:
    """Word 97-2003 and WPS (both sniffed as 'doc')."""
    return _read_via_docx(path, data, "doc")


def read_rtf(path: Path, data: bytes) -> Document:
    return _read_via_docx(path, data, "rtf")

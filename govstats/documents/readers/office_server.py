"""One long-lived LibreOffice per build worker, through unoserver, for DOC/WPS/RTF.

Starting LibreOffice costs seconds; converting a report once it runs costs a fraction of
one. A build worker therefore keeps one LibreOffice running (`keep_running`, called when the
worker starts) and sends it every conversion over unoserver's local XML-RPC. The server is
started in the background at the worker's first conversion, which itself still goes through
a one-shot `soffice` run, so no file ever waits for the server to come up.

unoserver runs inside a Python that can `import uno` (Debian: python3-uno; the venv's Python
cannot), given only the unoserver package on its path. It dies with its worker (the kernel's
parent-death signal), a conversion that hangs is ended by unoserver's own `--conversion-timeout`
and by the file's time limit, and a server that died or hung is started anew for the next
file. Where no such Python exists, conversions stay one-shot: slower, never wrong.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import xmlrpc.client
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

from unoserver.client import UnoClient

from ...errors import ConversionError
from ...limits import LIMITS

PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")  # where a Python with uno is found
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the worker that started it dies (unoserver then stops LibreOffice)."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def unconvertible(name: Path, to: str, said: str) -> ConversionError:
    """The error for a file LibreOffice refused, with the last line it said."""
    lines = said.strip().splitlines()
    return ConversionError(name, f"LibreOffice could not convert it to {to} ({lines[-1] if lines else 'no output'})")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def uno_python() -> str | None:
    """The Python named by GOVSTATS_UNO_PYTHON, else the first of PYTHONS, if it imports uno; else None."""
    chosen = os.environ.get("GOVSTATS_UNO_PYTHON")
    for exe in (chosen,) if chosen else PYTHONS:
        if shutil.which(exe) and subprocess.run([exe, "-c", "import uno"], capture_output=True).returncode == 0:
            return exe
    return None


def _unoserver_path(tmp: Path) -> Path | None:
    """A folder holding only the unoserver package and its metadata, for the other Python's path."""
    spec = find_spec("unoserver")
    if spec is None or spec.origin is None:
        return None
    dist = metadata.distribution("unoserver")
    tmp.mkdir()
    (tmp / "unoserver").symlink_to(Path(spec.origin).parent, target_is_directory=True)
    info = tmp / f"unoserver-{dist.version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(dist.read_text("METADATA") or "", encoding="utf-8")
    return tmp


class OfficeServer:
    """A unoserver (and its LibreOffice) owned by this process."""

    def __init__(self, python: str) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="govstats-unoserver-")
        root = Path(self._tmp.name)
        path = _unoserver_path(root / "lib")
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        if path is None:
            return
        cmd = [python, "-m", "unoserver.server", "--port", str(self.port), "--uno-port", str(_free_port()),
               "--user-installation", str(root / "profile"),
               "--conversion-timeout", str(int(LIMITS.conversion_timeout)), "--quiet"]
        self.proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONPATH": str(path)}, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True, preexec_fn=_die_with_parent)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def ready(self) -> bool:
        """Alive and listening (unoserver opens its port once LibreOffice is up)."""
        if not self.alive():
            return False
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
        except OSError:
            return False
        return True

    def convert(self, data: bytes, to: str, name: Path) -> bytes:
        """`data` converted to `to`; a conversion error names `name`, the user's file."""
        try:
            result = UnoClient(port=str(self.port)).convert(indata=data, convert_to=to, update_index=False)
        except xmlrpc.client.Fault as exc:
            raise unconvertible(name, to, exc.faultString) from None
        except BaseException:  # died, hung past the time limit, or Ctrl-C: never reuse it
            self.stop()
            raise
        if not isinstance(result, bytes):
            raise ConversionError(name, f"LibreOffice returned no {to} document")
        return result

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._tmp.cleanup()


class _State:
    """This process's server: off until `keep_running`; `python` is looked up once."""

    enabled = False
    python: str | None = None
    looked_up = False
    server: OfficeServer | None = None


def keep_running() -> None:
    """Let this process keep a LibreOffice running for its conversions (build workers call it)."""
    _State.enabled = True


def server_convert(data: bytes, to: str, name: Path) -> bytes | None:
    """Convert on this process's running server; None when there is none ready (yet), so the caller converts one-shot.

    The first call starts the server in the background; a dead server is replaced.
    """
    if not _State.enabled:
        return None
    if not _State.looked_up:
        _State.python, _State.looked_up = uno_python(), True
    if _State.python is None:
        return None
    server = _State.server
    if server is None or not server.alive():
        if server is not None:
            server.stop()
        _State.server = OfficeServer(_State.python)
        return None
    if not server.ready():
        return None
    try:
        return server.convert(data, to, name)
    except (OSError, xmlrpc.client.ProtocolError) as exc:  # it died mid-file: this file's error, a new server next
        _State.server = None
        raise ConversionError(name, f"LibreOffice stopped while converting it ({exc})") from None

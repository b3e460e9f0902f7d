"""The build's long-lived LibreOffice: same reading as a one-shot conversion, replaced when it dies.

These run LibreOffice for real (through unoserver under Debian's python3-uno); skipped only
outside CI on a machine without them (`make system-deps` installs both).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from helpers import render, values_of

import govstats
from govstats.documents.readers import office_server
from govstats.documents.readers.office_server import OfficeServer, server_convert, uno_python
from govstats.errors import ConversionError
from govstats.testing import synthetic

PYTHON = uno_python()
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(PYTHON is None and "CI" not in os.environ,
                                 reason="no Python with uno (Debian: python3-uno); `make system-deps` installs it")]


@pytest.fixture
def kept(monkeypatch):
    """This process as a build worker: the server on, and stopped after the test."""
    monkeypatch.setattr(office_server._State, "enabled", True)
    monkeypatch.setattr(office_server._State, "server", None)
    yield office_server._State
    if office_server._State.server is not None:
        office_server._State.server.stop()


def wait_ready(server: OfficeServer, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not server.ready():
        assert server.alive(), "unoserver exited while starting"
        assert time.monotonic() < deadline, "unoserver did not start"
        time.sleep(0.2)


def test_the_server_reads_a_doc_as_a_one_shot_conversion_does(kept, tmp_path):
    rep = synthetic.make_report(3, "某某县审计局", 2022, "2021")
    doc = render(rep, "doc", tmp_path)
    once = govstats.read_report(doc)  # the first conversion is one-shot and starts the server
    assert kept.server is not None and kept.server.alive()
    wait_ready(kept.server)
    docx = server_convert(doc.read_bytes(), "docx", doc)
    assert docx is not None and docx[:2] == b"PK"
    served = govstats.read_report(doc)
    assert values_of(served) == values_of(once) == rep.values
    assert served.format == "doc"


def test_a_dead_server_is_replaced_and_the_file_still_converts(kept, tmp_path):
    doc = render(synthetic.make_report(4, "某某县审计局", 2022, "2021"), "doc", tmp_path)
    assert server_convert(doc.read_bytes(), "docx", doc) is None  # starting: the caller converts one-shot
    first = kept.server
    wait_ready(first)
    os.killpg(first.proc.pid, signal.SIGKILL)
    first.proc.wait()
    assert server_convert(doc.read_bytes(), "docx", doc) is None  # dead: a new one starts
    assert kept.server is not first
    wait_ready(kept.server)
    assert server_convert(doc.read_bytes(), "docx", doc)[:2] == b"PK"


def test_a_file_libreoffice_cannot_convert_is_named(kept, tmp_path):
    server_convert(b"", "docx", tmp_path / "x.doc")
    wait_ready(kept.server)
    bad = tmp_path / "坏的.doc"
    with pytest.raises(ConversionError, match="坏的.doc"):
        server_convert(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 900, "docx", bad)


def test_outside_a_build_worker_nothing_is_started(monkeypatch, tmp_path):
    monkeypatch.setattr(office_server._State, "enabled", False)
    monkeypatch.setattr(office_server._State, "server", None)
    assert server_convert(b"x", "docx", tmp_path / "a.doc") is None
    assert office_server._State.server is None


def test_without_a_python_that_has_uno_conversions_stay_one_shot(monkeypatch, tmp_path):
    monkeypatch.setenv("GOVSTATS_UNO_PYTHON", str(Path(os.devnull)))
    assert uno_python() is None

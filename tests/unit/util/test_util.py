"""The shared infrastructure: atomic writes, the lock, hashing, the worker supervisor, the span layout."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import time
from pathlib import Path

import pytest

from govstats.documents.model import lay_out
from govstats.errors import GovstatsError
from govstats.limits import LIMITS, Limits
from govstats.util.atomic import atomic_symlink, atomic_write
from govstats.util.hashing import sha256_bytes, sha256_file
from govstats.util.lock import exclusive_lock
from govstats.util.workers import Lost, Workers


# ------------------------------------------------------------------ atomic writes
def test_atomic_write_replaces_only_on_success(tmp_path):
    path = tmp_path / "sub" / "out.csv"
    with atomic_write(path) as tmp:
        assert tmp.parent == path.parent and tmp != path
        tmp.write_text("new")
    assert path.read_text() == "new" and path.stat().st_mode & 0o777 == 0o644
    with pytest.raises(RuntimeError), atomic_write(path) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed mid-write")
    assert path.read_text() == "new"
    assert sorted(p.name for p in path.parent.iterdir()) == ["out.csv"]  # no temporary file left


def test_atomic_write_without_replace_never_overwrites(tmp_path):
    path, scratch = tmp_path / "report.pdf", tmp_path / "scratch"
    scratch.mkdir()
    with atomic_write(path, replace=False, tmp_dir=scratch) as tmp:
        tmp.write_bytes(b"first")
    with pytest.raises(FileExistsError), atomic_write(path, replace=False, tmp_dir=scratch) as tmp:
        tmp.write_bytes(b"second")
    assert path.read_bytes() == b"first" and not any(scratch.iterdir())


def test_atomic_symlink_swaps_the_target(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    link = tmp_path / ".current"
    atomic_symlink("a", link)
    atomic_symlink("b", link)
    assert os.readlink(link) == "b" and sorted(p.name for p in tmp_path.iterdir()) == [".current", "a", "b"]


# ------------------------------------------------------------------ lock, hashing, limits
def test_a_second_lock_fails_at_once_with_the_reason(tmp_path):
    with exclusive_lock(tmp_path / ".lock", "another build is writing this directory"):
        with pytest.raises(GovstatsError, match="another build is writing this directory") as info:
            exclusive_lock(tmp_path / ".lock", "another build is writing this directory")
        assert info.value.path == str(tmp_path)
    exclusive_lock(tmp_path / ".lock", "busy").close()  # released with the first


def test_sha256_of_bytes_and_of_a_file(tmp_path):
    abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # FIPS 180-2 example
    (tmp_path / "f").write_bytes(b"abc")
    assert sha256_bytes(b"abc") == sha256_file(tmp_path / "f") == abc


def test_limits_are_frozen():
    assert LIMITS == Limits() and LIMITS.max_colspan == 64
    with pytest.raises(dataclasses.FrozenInstanceError):
        LIMITS.max_colspan = 1  # type: ignore[misc]


# ------------------------------------------------------------------ workers
def _handler():
    """A worker's jobs: ('echo', x), ('exit', code), ('hang', seconds), ('note', seconds), ('orphan', path)."""

    def handle(job, note):
        kind, arg = job
        if kind == "exit":
            os._exit(arg)
        if kind == "note":
            note("slow but fine", 5.0)
            time.sleep(arg)
        if kind == "hang":
            time.sleep(arg)
        if kind == "orphan":  # a child in its own session, like soffice
            subprocess.Popen(["sh", "-c", f"echo $$ > {arg}; exec sleep 60"], start_new_session=True)
            time.sleep(60)
        return ("done", arg)

    return handle


def test_workers_return_results_and_report_crashes_and_overruns():
    jobs = [("echo", 1), ("exit", 3), ("hang", 30), ("note", 1.0), ("echo", 2)]
    start = time.monotonic()
    with Workers(_handler, size=2, limit=0.5) as workers:
        got = dict(workers.run(jobs))
    assert time.monotonic() - start < 10
    assert got[("echo", 1)] == ("done", 1) and got[("echo", 2)] == ("done", 2)
    assert got[("exit", 3)] == Lost(timed_out=False, exitcode=3)
    assert got[("hang", 30)] == Lost(timed_out=True)
    assert got[("note", 1.0)] == ("done", 1.0)  # past `limit`, but its note allowed 5 s


def test_workers_are_reused_across_runs():
    with Workers(lambda: (lambda job, note: os.getpid()), size=1, limit=5) as workers:
        first = dict(workers.run([1]))[1]
        assert dict(workers.run([2, 3])) == {2: first, 3: first}


def test_an_overrun_kills_what_the_worker_started(tmp_path):
    pidfile = tmp_path / "pid"
    with Workers(_handler, size=1, limit=1.0) as workers:
        [(_, lost)] = workers.run([("orphan", str(pidfile))])
    assert lost == Lost(timed_out=True)
    pid = int(pidfile.read_text())
    time.sleep(0.2)
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1][:3]


# ------------------------------------------------------------------ span layout
def test_lay_out_places_spans_as_html_does():
    rows = [[("A", 2, 1), ("B", 1, 2)], [("C", 1, 1)], [("D", 1, 3)]]
    grid = lay_out(rows, lambda item: item[1:])
    assert {pos: (item[0], first) for pos, (item, first) in grid.items()} == {
        (0, 0): ("A", True), (0, 1): ("B", True), (0, 2): ("B", False),
        (1, 0): ("A", False), (1, 1): ("C", True),
        (2, 0): ("D", True), (2, 1): ("D", False), (2, 2): ("D", False),
    }

"""`govstats build` killed (SIGKILL, workers included) at random moments, on a corpus of fuzz cases.

Whenever it dies, what is published is one whole build: the one before, or this one if it
got that far; never a mix, never unreadable. The next build finishes and equals a build
that was never interrupted.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd

import govstats
from fuzz.harness import make_case
from fuzz.hostile import HOSTILE
from fuzz.seeds import build_seeds

ROUNDS = 3
FILES_PER_ROUND = 8
SLOW_FORMATS = (".doc", ".wps", ".rtf")  # LibreOffice: seconds each, and its own process group


def _corpus(seeds, start: int, n: int) -> list[tuple[str, bytes]]:
    """n fuzz cases (random mutations of every seed format, no LibreOffice formats) as (name, bytes)."""
    out: list[tuple[str, bytes]] = []
    index = len(HOSTILE) + start
    while len(out) < n:
        case = make_case(seeds, 11, index)
        if case.suffix not in SLOW_FORMATS and case.size <= len(case.data):
            out.append((f"case-{index}{case.suffix}", case.data))
        index += 1
    return out


def _frames(out: Path) -> tuple[pd.DataFrame, ...] | None:
    """The published tables (without the timing column), checked against the DuckDB copy; None before any."""
    if not (out / ".current").exists():
        return None
    d = govstats.load(out)
    con = duckdb.connect(str(out / "govstats.duckdb"), read_only=True)
    try:
        for name, frame in (("cells", d.cells), ("reports", d.reports), ("checks", d.checks)):
            assert con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == len(frame)
    finally:
        con.close()
    assert set(d.cells["report_id"]) <= set(d.reports["report_id"])
    return d.cells, d.reports.drop(columns="seconds"), d.checks


def _same(a: tuple[pd.DataFrame, ...] | None, b: tuple[pd.DataFrame, ...] | None) -> bool:
    if a is None or b is None:
        return a is b
    return all(x.reset_index(drop=True).equals(y.reset_index(drop=True)) for x, y in zip(a, b, strict=True))


def _build(raw: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "govstats.cli", "build", str(raw), "--out", str(out), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_sigkill_at_random_points_leaves_one_whole_build(tmp_path):
    rng = random.Random(5)
    seeds = build_seeds(with_soffice=False)
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    published = None
    for k in range(ROUNDS):
        for name, data in _corpus(seeds, k * FILES_PER_ROUND * 2, FILES_PER_ROUND):
            (raw / name).write_bytes(data)
        start = time.monotonic()
        assert _build(raw, tmp_path / f"reference{k}").wait() == 0  # never interrupted
        full = time.monotonic() - start
        reference = _frames(tmp_path / f"reference{k}")
        proc = _build(raw, out)
        time.sleep(rng.uniform(0.2, 1.0) * full)  # imports, reading, writing, publishing: anywhere
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        now = _frames(out)
        assert _same(now, published) or _same(now, reference), f"round {k}: a mix of builds was published"
        published = now
    assert _build(raw, out).wait() == 0
    assert _same(_frames(out), reference)

"""Run fuzz cases in memory-capped worker processes with a hard kill, and judge each outcome.

A case ends as a report (whose values pass the oracle), or as a govstats error naming
the file and the reason. Anything else is a failure: an uncaught exception (or a dead
worker), a time-out beyond read_report's own limit (the worker is killed), running out
of the memory cap, an invented value, values changed by invisible marks, or processes
left running after the case.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import re
import resource
import signal
import tempfile
import time
import traceback
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from govstats import read_report
from govstats.errors import GovstatsError, ReadTimeoutError
from govstats.normalize import BLANK_MARKS, normalize_label
from govstats.report import CELL_COLUMNS, Report

from .hostile import HOSTILE
from .mutators import Case, random_case
from .seeds import Seed

TIMEOUT = 10.0  # read_report's per-file limit in the fuzz runs
GRACE = 20.0  # past TIMEOUT + GRACE the worker is killed: a hang the per-file limit did not stop
MEMORY = 2 << 30  # bytes of address space a worker may add to what it holds when it starts
MAKE_LIMIT = 120.0  # seconds a worker may take to make a case (hostile ones deflate hundreds of MB)
FAILURES = ("uncaught", "timeout", "memory", "invented", "changed", "leak", "harness")
_PLAIN = re.compile(r"[+-]?\d+(?:\.\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_UNIT = re.compile(r"(?:件|条|个|项|份|宗|次|人次|万元|元)$")


@dataclass
class Outcome:
    """How one case ended: kind is 'report', 'error:<Class>' or one of FAILURES."""

    index: int
    seed: str
    mutation: str
    kind: str
    detail: str = ""
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.kind in FAILURES


def make_case(seeds: list[Seed], run_seed: int, index: int) -> Case:
    """The fixed hostile cases first, then random mutations; the same (run_seed, index) gives the same case."""
    if index < len(HOSTILE):
        name, maker = HOSTILE[index]
        fields = {"suffix": "", "mutation": name} | maker(seeds)
        return Case(index, "hostile", **fields)  # type: ignore[arg-type]
    return random_case(seeds, run_seed, index)


# ------------------------------------------------------------------ the oracle
def plain_number(printed: str) -> float | None:
    """The number a cell prints, by a reading stricter than the parser's.

    Only what does not change the number may differ from a plain decimal: compatibility
    forms (full-width digits), invisible format marks, white space around it, thousands
    separators in groups of three, a trailing unit.
    """
    s = "".join(ch for ch in unicodedata.normalize("NFKC", printed) if unicodedata.category(ch) != "Cf").strip()
    s = _UNIT.sub("", s).strip()
    if _GROUPED.fullmatch(s):
        s = s.replace(",", "")
    return float(s) if _PLAIN.fullmatch(s) else None


def _tidy(report: Report) -> list[tuple[object, ...]]:
    c = report.cells
    rows = zip(c["table"], c["row"], c["column"], c["value"].map(repr), c["flag"])
    agency = unicodedata.normalize("NFKC", report.agency) if report.agency else None  # printed forms may differ
    return [(agency, report.year, report.template), *rows]


def audit(case: Case, report: Report, baseline: list[tuple[object, ...]] | None) -> tuple[str, str] | None:
    """(failure kind, detail) when the report says something the document does not."""
    cells = report.cells
    if list(cells.columns) != CELL_COLUMNS:
        return "invented", f"cells have columns {list(cells.columns)}"
    for table, row, col, value, flag, printed in zip(cells["table"], cells["row"], cells["column"], cells["value"],
                                                     cells["flag"], cells["printed"]):
        where = f"{table}.{row}.{col} = {value!r} (flag {flag!r}, printed {printed!r})"
        if flag == "":
            read = plain_number(printed) if isinstance(printed, str) else None
            scale = 10_000 if (row, col) == ("procurement", "amount_yuan") else 1
            if read is None or not math.isfinite(value) or value not in (read, read * scale):
                return "invented", f"{where}: not the number printed"
        elif flag == "blank":
            if value != 0 or (isinstance(printed, str) and normalize_label(printed) not in BLANK_MARKS):
                return "invented", f"{where}: a blank that is not a blank mark read as 0"
        elif not math.isnan(value):
            return "invented", f"{where}: an {flag} cell with a number"
    if case.target:
        at = cells[(cells["table"] == case.target[0]) & (cells["row"] == case.target[1])
                   & (cells["column"] == case.target[2])]
        if (at["value"] == case.original).any():
            return "invented", f"{'.'.join(case.target)} replaced in the file but read as the old {case.original:g}"
    if case.broken and report.ok:
        return "invented", "the mutation broke the report's arithmetic, yet every check passed"
    if baseline is not None and _tidy(report) != baseline:
        diff = [(a, b) for a, b in zip(_tidy(report), baseline) if a != b][:3]
        return "changed", f"invisible marks changed what was read: {diff or 'number of cells'}"
    return None


def _timed_out(exc: BaseException | None) -> bool:
    """Whether the per-file limit fired somewhere in the chain of this exception."""
    while exc is not None:
        if isinstance(exc, ReadTimeoutError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def judge(case: Case, path: Path, baseline: list[tuple[object, ...]] | None, timeout: float = TIMEOUT) -> Outcome:
    """Read one case file and classify what happened."""
    out = Outcome(case.index, case.seed, case.mutation, "report")
    start = time.monotonic()
    try:
        report = read_report(path, timeout=timeout)
    except GovstatsError as exc:
        named = exc.path == str(path) and exc.reason.strip() and str(exc) == f"{path}: {exc.reason}"
        out.kind, out.detail = ("error:" + type(exc).__name__, exc.reason) if named else \
            ("uncaught", f"error without the file and a reason: {exc!r}")
        if _timed_out(exc) and not isinstance(exc, ReadTimeoutError):
            out.kind, out.detail = "timeout", f"the per-file limit fired but came out as {exc!r}"
    except MemoryError:
        out.kind, out.detail = "memory", traceback.format_exc(limit=-3)
    except BaseException:  # noqa: BLE001 - anything else is exactly what the fuzzer looks for
        out.kind, out.detail = "uncaught", traceback.format_exc(limit=-6)
    else:
        found = audit(case, report, baseline)
        if found:
            out.kind, out.detail = found
    out.seconds = time.monotonic() - start
    return out


def _children(pid: int) -> list[int]:
    """Live descendants of `pid` (soffice runs in its own session, so process groups miss it)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, ValueError, IndexError):
            continue
        if stat[0] != "Z":
            parents.setdefault(int(stat[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _kill(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# ------------------------------------------------------------------ workers
def _work(conn: Connection, seeds: list[Seed], run_seed: int, folder: str, timeout: float) -> None:
    """Worker loop: make each case, read it under the memory cap, send back the outcome."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # relative to the start: pyarrow and numpy reserve ~1.2 GB of address space they never touch
    held = int(Path("/proc/self/status").read_text().split("VmSize:")[1].split()[0]) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (held + MEMORY, held + MEMORY))
    baselines: dict[str, list[tuple[object, ...]]] = {}
    by_name = {s.name: s for s in seeds}
    while (job := conn.recv()) is not None:
        try:
            case = job if isinstance(job, Case) else make_case(seeds, run_seed, job)
        except Exception:  # noqa: BLE001 - a bug of the fuzzer, reported as such
            conn.send(Outcome(job if isinstance(job, int) else job.index, "?", "?", "harness", traceback.format_exc()))
            continue
        conn.send(("begin", case.seed, case.mutation))
        if case.same_as and case.same_as not in baselines:
            seed = by_name[case.same_as]
            baselines[seed.name] = _tidy(read_report(Case(0, "", "", "." + seed.fmt, seed.data).write(
                Path(folder) / f"baseline.{seed.fmt}"), timeout=None))
        path = case.write(Path(folder) / f"case-{case.index}{case.suffix}")
        outcome = judge(case, path, baselines.get(case.same_as or ""), timeout)
        path.unlink()
        left = _children(os.getpid())
        if left:
            _kill(left)
            if not outcome.failed:
                outcome.kind, outcome.detail = "leak", f"{len(left)} processes still running after the case"
        conn.send(outcome)


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    job: int | Case | None = None
    deadline: float = 0.0
    seed: str = "?"
    mutation: str = "?"


class Pool:
    """`workers` forked processes that share the seeds; `run(jobs)` yields outcomes as they finish.

    `timeout` is read_report's per-file limit; a worker still busy GRACE seconds after it is killed.
    """

    def __init__(self, seeds: list[Seed], run_seed: int = 1, workers: int = 2, timeout: float = TIMEOUT) -> None:
        self.seeds, self.run_seed, self.size, self.timeout = seeds, run_seed, workers, timeout
        self.tmp = tempfile.TemporaryDirectory(prefix="govstats-fuzz-")
        self.workers: list[_Worker] = []

    def _spawn(self) -> _Worker:
        ctx = multiprocessing.get_context("fork")
        mine, theirs = ctx.Pipe()
        folder = tempfile.mkdtemp(dir=self.tmp.name)
        proc = ctx.Process(target=_work, args=(theirs, self.seeds, self.run_seed, folder, self.timeout), daemon=True)
        proc.start()
        theirs.close()
        return _Worker(proc, mine)

    def _replace(self, w: _Worker) -> None:
        _kill(_children(w.process.pid) + [w.process.pid])
        w.process.join()
        w.conn.close()
        self.workers[self.workers.index(w)] = self._spawn()

    def _lost(self, w: _Worker, kind: str, detail: str) -> Outcome:
        job = w.job
        index = job if isinstance(job, int) else job.index  # type: ignore[union-attr]
        self._replace(w)
        return Outcome(index, w.seed, w.mutation, kind, detail)

    def run(self, jobs: Iterable[int | Case]) -> Iterator[Outcome]:
        todo = deque(jobs)
        self.workers = self.workers or [self._spawn() for _ in range(self.size)]
        while True:
            for w in self.workers:
                if w.job is None and todo:
                    w.job, w.deadline, w.seed, w.mutation = todo.popleft(), time.monotonic() + MAKE_LIMIT, "?", "?"
                    w.conn.send(w.job)
            busy = [w for w in self.workers if w.job is not None]
            if not busy:
                return
            ready = wait([w.conn for w in busy], timeout=max(0.0, min(w.deadline for w in busy) - time.monotonic()))
            for w in busy:
                if w.conn in ready:
                    try:
                        msg = w.conn.recv()
                    except (EOFError, OSError):
                        w.process.join(1)
                        yield self._lost(w, "uncaught", f"the worker died (exit code {w.process.exitcode})")
                        continue
                    if isinstance(msg, tuple):
                        _, w.seed, w.mutation = msg
                        w.deadline = time.monotonic() + self.timeout + GRACE
                    else:
                        w.job = None
                        yield msg
                elif time.monotonic() > w.deadline:
                    yield self._lost(w, "timeout", f"killed after {self.timeout + GRACE:g} s (read_report's limit "
                                                   f"is {self.timeout:g} s)")

    def close(self) -> None:
        for w in self.workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
            w.process.join(5)
            if w.process.is_alive():
                _kill(_children(w.process.pid) + [w.process.pid])
        self.workers = []
        self.tmp.cleanup()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

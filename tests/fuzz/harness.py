"""Run fuzz cases in memory-capped worker processes with a hard kill, and judge each outcome.

A case ends as a report (whose values pass the oracle), or as a govstats error naming
the file and the reason. Anything else is a failure: an uncaught exception (or a dead
worker), a time-out beyond read_report's own limit (the worker is killed), running out
of the memory cap, an invented value, values changed by invisible marks, or processes
left running after the case.
"""

from __future__ import annotations

import math
import os
import re
import resource
import tempfile
import time
import traceback
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Self

from govstats import read_report
from govstats.errors import GovstatsError, ReadTimeoutError
from govstats.normalize import BLANK_MARKS, normalize_label
from govstats.report import CELL_COLUMNS, Report
from govstats.util.workers import Handler, Lost, Note, Workers, descendants, kill

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
        elif flag == "prose":  # a figure stated in its sentence: the number is printed there (or 未… states 0)
            text = normalize_label(printed) if isinstance(printed, str) else ""
            if not math.isfinite(value) or (f"{value:g}" not in text and not (value == 0 and "未" in text)):
                return "invented", f"{where}: a prose figure its sentence does not state"
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


# ------------------------------------------------------------------ workers
def _worker(seeds: list[Seed], run_seed: int, scratch: str, timeout: float) -> Handler:
    """Set up a new worker (memory cap, its own folder, its baselines); return what reads each case."""
    # relative to the start: pyarrow and numpy reserve ~1.2 GB of address space they never touch
    held = int(Path("/proc/self/status").read_text().split("VmSize:")[1].split()[0]) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (held + MEMORY, held + MEMORY))
    folder = Path(tempfile.mkdtemp(dir=scratch))
    baselines: dict[str, list[tuple[object, ...]]] = {}
    by_name = {s.name: s for s in seeds}

    def handle(job: int | Case, note: Note) -> Outcome:
        """Make the case, read it under the memory cap, and judge the outcome."""
        try:
            case = job if isinstance(job, Case) else make_case(seeds, run_seed, job)
        except Exception:  # noqa: BLE001 - a bug of the fuzzer, reported as such
            return Outcome(job if isinstance(job, int) else job.index, "?", "?", "harness", traceback.format_exc())
        note((case.seed, case.mutation), timeout + GRACE)
        if case.same_as and case.same_as not in baselines:
            seed = by_name[case.same_as]
            baselines[seed.name] = _tidy(read_report(Case(0, "", "", "." + seed.fmt, seed.data).write(
                folder / f"baseline.{seed.fmt}"), timeout=None))
        path = case.write(folder / f"case-{case.index}{case.suffix}")
        outcome = judge(case, path, baselines.get(case.same_as or ""), timeout)
        path.unlink()
        left = descendants(os.getpid())
        if left:
            kill(left)
            if not outcome.failed:
                outcome.kind, outcome.detail = "leak", f"{len(left)} processes still running after the case"
        return outcome

    return handle


class Pool:
    """`workers` forked processes that share the seeds; `run(jobs)` yields outcomes as they finish.

    `timeout` is read_report's per-file limit; a worker still busy GRACE seconds after it is killed.
    """

    def __init__(self, seeds: list[Seed], run_seed: int = 1, workers: int = 2, timeout: float = TIMEOUT) -> None:
        self.timeout = timeout
        self.tmp = tempfile.TemporaryDirectory(prefix="govstats-fuzz-")
        self.workers = Workers[int | Case, Outcome](partial(_worker, seeds, run_seed, self.tmp.name, timeout),
                                                    workers, MAKE_LIMIT)

    def run(self, jobs: Iterable[int | Case]) -> Iterator[Outcome]:
        for job, result in self.workers.run(jobs):
            yield self._lost(job, result) if isinstance(result, Lost) else result

    def _lost(self, job: int | Case, lost: Lost) -> Outcome:
        index = job if isinstance(job, int) else job.index
        seed, mutation = lost.note if isinstance(lost.note, tuple) else ("?", "?")
        if lost.timed_out:
            return Outcome(index, seed, mutation, "timeout", f"killed after {self.timeout + GRACE:g} s "
                                                             f"(read_report's limit is {self.timeout:g} s)")
        return Outcome(index, seed, mutation, "uncaught", f"the worker died (exit code {lost.exitcode})")

    def close(self) -> None:
        self.workers.close()
        self.tmp.cleanup()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

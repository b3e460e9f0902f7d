"""`build`: read every report below a raw directory into one published dataset.

Steps: discover and hash the files; read those the cache lacks (process pool or Dask);
stream every file's cells and checks from the cache into the outputs of a new generation;
add the cross-report checks; write DuckDB; publish atomically; print a summary.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from ..checks import dataset_checks
from ..limits import DEFAULT_TIMEOUT
from ..schema.enums import Status
from . import store
from .cache import CACHED_STATUSES, Cache, failure
from .runners import Outcome, run_dask, run_local
from .sources import Source, discover, fingerprint

OUTPUT_VERSION = "1"  # bump when the output layout changes: the next build rewrites it
FAILED = (Status.ERROR, Status.FAILED, Status.TIMEOUT, Status.CRASHED)
MAX_LISTED = 20


@dataclass
class BuildResult:
    """What a build did: the CLI's exit code and summary, and a script's handle on the outputs."""

    out: Path
    reports: pd.DataFrame
    read: int  # files parsed by this build
    cached: int  # files whose parse came from the cache
    summary: str

    @property
    def failed(self) -> int:
        return int(self.reports["status"].isin(FAILED).sum())


class _Bar(tqdm):
    monitor_interval = 0  # no monitor thread: workers are forked while the bar runs


def _log(msg: str) -> None:
    print(f"govstats build: {msg}", file=sys.stderr, flush=True)


def _progress(outcomes: Iterator[Outcome], total: int, show: bool | None) -> Iterator[Outcome]:
    """A progress bar on a terminal, a log line per tenth otherwise, nothing when show is False."""
    if show is None and sys.stderr.isatty():
        with _Bar(total=total, unit="file", desc="reading", file=sys.stderr) as bar:
            for outcome in outcomes:
                bar.update()
                yield outcome
        return
    failed = 0
    for n, outcome in enumerate(outcomes, 1):
        failed += outcome[1]["status"] in FAILED
        if show is not False and (n == total or n % max(1, total // 10) == 0):
            _log(f"read {n}/{total} files ({failed} failed)")
        yield outcome


def _write(out: Path, sources: list[Source], cache: Cache, fresh: dict[str, dict], fp: str) -> Path:
    """Every output into a new generation directory; returns it (not yet published)."""
    gen = store.new_generation(out)
    cells = store.TableWriter(gen / "cells.parquet", store.CELLS)
    checks = store.TableWriter(gen / "checks.parquet", store.CHECKS)
    rows, first = [], {}
    for s in sources:
        if s.sha256 in first:
            meta = failure(Status.DUPLICATE, f"same content as {first[s.sha256]}").meta
        else:
            first[s.sha256] = s.rel
            if s.sha256 in fresh:
                meta = fresh[s.sha256]
            else:
                entry = cache.get(s.sha256)
                meta = entry.meta
                if entry.cells is not None:
                    cells.write(entry.cells)
                checks.write(entry.checks)
            meta = {**meta, "report_id": meta["report_id"] or s.sha256[:16]}  # failures: the file's hash
        rows.append({**meta, "path": s.rel, "sha256": s.sha256, "bytes": s.bytes, "synthetic": s.synthetic,
                     "url": s.url, "title": s.title})
    cells.close()
    reports = pa.Table.from_pylist(rows, schema=store.REPORTS)
    pq.write_table(reports, gen / "reports.parquet")
    checks.write(dataset_checks(gen / "cells.parquet", reports.to_pandas()))
    checks.close()
    store.write_duckdb(gen / "govstats.duckdb", gen)
    (gen / "build.json").write_text(json.dumps({"fingerprint": fp, "files": len(sources)}) + "\n")
    return gen


def _summary(gen: Path, reports: pd.DataFrame, head: str) -> str:
    """Reports by status, template and year; failing checks by rule; the failed files by name."""
    lines = [head, "reports by status: " + ", ".join(f"{k} {v}" for k, v in reports["status"].value_counts().items())]
    ok = reports[reports["status"] == Status.OK]
    if len(ok):
        years = ok["year"].astype("string").fillna("?")
        lines += ["", "reports read, by template and year:", pd.crosstab(ok["template"], years).to_string()]
    failing = pq.read_table(gen / "checks.parquet", columns=["rule", "severity", "passed", "message"],
                            filters=[("passed", "==", False)]).to_pandas()
    if len(failing):
        by_rule = failing.groupby(["rule", "severity"], observed=True).size().rename("failing").reset_index()
        lines += ["", "failing checks by rule:", by_rule.to_string(index=False)]
    across = failing[failing["rule"].str.startswith("dataset.")]["message"].unique()
    lines += [""] + [f"warning: {m}" for m in across[:MAX_LISTED]] if len(across) else []
    bad = reports[reports["status"].isin(FAILED)]
    if len(bad):
        lines += ["", f"{len(bad)} files failed (status and error in reports.parquet):"]
        lines += [f"  {p}: {s}: {e}" for p, s, e in bad[["path", "status", "error"]].head(MAX_LISTED).itertuples(False)]
        lines += [f"  … and {len(bad) - MAX_LISTED} more"] if len(bad) > MAX_LISTED else []
    return "\n".join(lines)


def build(raw_dir: str | Path = "data/raw", out: str | Path = "data/processed", *, jobs: int | None = None,
          timeout: float = DEFAULT_TIMEOUT, scheduler: str | None = None, progress: bool | None = None) -> BuildResult:
    """Build (or bring up to date) the dataset of every report below raw_dir into out.

    jobs: local worker processes (default: every core); scheduler: a Dask scheduler address
    (tcp://HOST:PORT) to read on a cluster instead; timeout: seconds allowed per file;
    progress: None = a bar on a terminal and log lines otherwise, False = quiet.
    """
    from .._version import PARSER_VERSION

    start = time.perf_counter()
    raw, out = Path(raw_dir), Path(out)
    version = str(PARSER_VERSION)
    with store.locked(out):
        store.prune(out, keep={store.current(out)})
        sources = discover(raw)
        cache = Cache(out / ".cache", version)
        unique = list(dict.fromkeys(s.sha256 for s in sources))
        paths = {s.sha256: s.path for s in reversed(sources)}
        todo = [(paths[sha], sha) for sha in unique if not cache.has(sha)]
        fp = fingerprint(sources, version, OUTPUT_VERSION)
        gen = store.current(out)
        if todo or gen is None or json.loads((gen / "build.json").read_text())["fingerprint"] != fp:
            jobs = jobs or len(os.sched_getaffinity(0))
            if progress is not False:
                where = f"Dask at {scheduler}" if scheduler else f"{min(jobs, len(todo))} processes"
                _log(f"{len(sources)} files in {raw}, {len(todo)} to read on {where}")
            runner = run_dask(todo, cache, scheduler, timeout) if scheduler else run_local(todo, cache, jobs, timeout)
            fresh = {sha: meta for (_, sha), meta in _progress(runner, len(todo), progress)
                     if meta["status"] not in CACHED_STATUSES}
            gen = _write(out, sources, cache, fresh, fp)
            store.publish(out, gen)
            cache.prune(set(unique))
        reports = pd.read_parquet(gen / "reports.parquet")
    head = (f"{len(sources)} files in {raw} → {out}: {len(todo)} read, {len(unique) - len(todo)} from the cache, "
            f"{time.perf_counter() - start:.1f} s")
    return BuildResult(out, reports, len(todo), len(unique) - len(todo), _summary(gen, reports, head))

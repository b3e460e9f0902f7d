"""The work of a build that has work to do: read what the cache lacks, write and publish a generation.

`pipeline.build` imports this module only when its inputs changed, so a build with nothing to
do never loads the parsers, pandas, Arrow or DuckDB.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from tqdm import tqdm

from ..checks import dataset_checks
from ..schema.enums import Severity, Status
from . import generations, store
from .cache import CACHED_STATUSES, Cache, Entry, failure
from .panel import panel
from .resolve import Corrections
from .runners import Job, Outcome, run_dask, run_local
from .sources import Source

FAILED = (Status.ERROR, Status.FAILED, Status.TIMEOUT, Status.CRASHED)
NOT_READ = {"values_read": None, "errors_failed": None}
MAX_LISTED = 20


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


def _honest(entry: Entry) -> dict[str, Any]:
    """The entry's metadata with what was read counted, and a status that says it.

    `ok` means values were read: a report with none is `no_tables` (and why); a document the
    reader found is not a report is `not_a_report`, not an `error`. Derived here, from the cached
    entry, so the cache need not change.
    """
    meta = dict(entry.meta)
    if meta["status"] == Status.ERROR and str(meta["error"]).startswith("NotAReportError"):
        meta["status"] = Status.NOT_A_REPORT
    if meta["status"] != Status.OK or entry.cells is None:
        return {**meta, **NOT_READ}
    meta["values_read"] = entry.cells.num_rows - entry.cells["value"].null_count
    meta["errors_failed"] = 0 if entry.checks is None else pc.sum(pc.and_(  # Arrow: no pandas per report
        pc.equal(entry.checks["severity"], Severity.ERROR.value), pc.invert(entry.checks["passed"]))).as_py() or 0
    if meta["values_read"] == 0:
        meta["status"] = Status.NO_TABLES
        meta["error"] = ("pre-2019 layout: no standard tables" if meta["template"] == "legacy"
                         else "tables not found: no value read")
    return meta


def _write(out: Path, sources: list[Source], cache: Cache, fresh: dict[str, dict], fp: str,
           fix: Corrections) -> Path:
    """Every output into a new generation directory; returns it (not yet published).

    `fix` applies the overrides and resolves the agency of each report (`resolve`).

    `build.json` records the fingerprint, the failed count and the summary, so that a later
    build with nothing to do can answer from it alone.
    """
    gen = generations.new_generation(out)
    cells = store.TableWriter(gen / "cells.parquet", store.CELLS)
    checks = store.TableWriter(gen / "checks.parquet", store.CHECKS)
    rows: list[dict[str, Any]] = []
    first: dict[str, str] = {}
    for s in sources:
        if s.sha256 in first:
            meta = {**failure(Status.DUPLICATE, f"same content as {first[s.sha256]}").meta, **NOT_READ}
        else:
            first[s.sha256] = s.rel
            if s.sha256 in fresh:
                meta = {**fresh[s.sha256], **NOT_READ}
            else:
                entry = fix.values.entry(s, cache.get(s.sha256))  # corrected values, checks run on them
                meta = _honest(entry)
                if entry.cells is not None:
                    cells.write(fix.cells(s, meta["report_id"], entry.cells))
                checks.write(entry.checks)
            meta = {**meta, "report_id": meta["report_id"] or s.sha256[:16]}  # failures: the file's hash
        rows.append(fix.row(s, {**meta, "path": s.rel, "sha256": s.sha256, "bytes": s.bytes,
                                "synthetic": s.synthetic, "url": s.url, "title": s.title}))
    cells.close()
    reports = pa.Table.from_pylist(rows, schema=store.REPORTS)
    pq.write_table(reports, gen / "reports.parquet")
    frame = reports.to_pandas()
    checks.write(fix.findings(rows))
    checks.write(dataset_checks(gen / "cells.parquet", frame))
    checks.close()
    pq.write_table(panel(gen / "cells.parquet", frame), gen / "panel.parquet")
    store.write_duckdb(gen / "govstats.duckdb", gen)
    record = {"fingerprint": fp, "files": len(sources), "failed": int(frame["status"].isin(FAILED).sum()),
              "summary": "\n".join([_summary(gen, frame), *fix.summary()])}
    (gen / "build.json").write_text(json.dumps(record) + "\n")
    return gen


def _summary(gen: Path, reports: pd.DataFrame) -> str:
    """Reports by status, template and year; failing checks by rule; the failed files by name."""
    lines = ["reports by status: " + ", ".join(f"{k} {v}" for k, v in reports["status"].value_counts().items())]
    ok = reports[reports["status"] == Status.OK]
    for status, why in ((Status.NO_TABLES, "no table value read"), (Status.NOT_A_REPORT, "not an annual report")):
        listed = reports[reports["status"] == status]
        lines += [f"{len(listed)} files {status} ({why}):"] if len(listed) else []
        lines += [f"  {p}: {e}" for p, e in listed[["path", "error"]].head(MAX_LISTED).itertuples(False)]
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


def rebuild(raw: Path, out: Path, sources: list[Source], todo: list[Job], fp: str, version: str, *,
            jobs: int | None, timeout: float, scheduler: str | None, progress: bool | None) -> Path:
    """Read `todo` (local processes or Dask), write every output into a new generation, publish it."""
    cache = Cache(out / ".cache", version)
    fix = Corrections(raw)  # before reading: a bad overrides.csv or corrections.csv stops the build at once
    jobs = jobs or len(os.sched_getaffinity(0))
    if progress is not False:
        where = f"Dask at {scheduler}" if scheduler else f"{min(jobs, len(todo))} processes"
        _log(f"{len(sources)} files in {raw}, {len(todo)} to read on {where}")
    runner = run_dask(todo, cache, scheduler, timeout) if scheduler else run_local(todo, cache, jobs, timeout)
    fresh = {sha: meta for (_, sha), meta in _progress(runner, len(todo), progress)
             if meta["status"] not in CACHED_STATUSES}
    gen = _write(out, sources, cache, fresh, fp, fix)
    store.publish(out, gen)
    cache.prune({s.sha256 for s in sources})
    return gen

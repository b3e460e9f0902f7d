"""Where files are read: a local process pool, or a Dask distributed cluster.

Both take jobs (path, sha256), store each outcome in the cache and yield its metadata as
files finish, so the caller holds no parsed tables. A file that hangs is a `timeout`:
locally read_report's own alarm stops it, and a worker stuck where the alarm cannot reach
(in C code) is killed and replaced; on Dask the task gives up waiting for its reading thread
(a thread cannot be killed) and the build goes on.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from ..documents.readers.office_server import keep_running
from ..errors import GovstatsError
from ..limits import LIMITS
from ..schema.enums import Status
from ..util.workers import Handler, Lost, Workers
from .cache import Cache, Entry, failure, read_file

Job = tuple[Path, str]  # (path, sha256)
Outcome = tuple[Job, dict[str, Any]]


def _timed_out(timeout: float) -> Entry:
    return failure(Status.TIMEOUT, f"reading took longer than the {timeout:g} s limit", timeout)


def _lost(lost: Lost, timeout: float) -> Entry:
    """The outcome of a file whose worker was killed past the time limit, or died."""
    return _timed_out(timeout) if lost.timed_out else failure(
        Status.CRASHED, f"the worker process died (exit code {lost.exitcode})")


# ------------------------------------------------------------------ local processes
def run_local(jobs: list[Job], cache: Cache, processes: int, timeout: float) -> Iterator[Outcome]:
    """Read jobs on `processes` forked workers, one file at a time each, killing any past `timeout`."""

    def start() -> Handler:
        keep_running()  # each worker keeps one LibreOffice for its DOC/WPS/RTF files
        return lambda job, note: cache.store(job[1], read_file(job[0], timeout))

    with Workers[Job, dict[str, Any]](start, processes, timeout + LIMITS.kill_grace) as workers:
        for job, result in workers.run(jobs):
            yield job, _lost(result, timeout).meta if isinstance(result, Lost) else result


# ------------------------------------------------------------------ Dask
def read_bytes(name: str, data: bytes, timeout: float) -> Entry:
    """Dask task: read a file sent as bytes (workers need no shared disk), under the same name."""
    with tempfile.TemporaryDirectory(prefix="govstats-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        box: list[Entry] = []
        reader = threading.Thread(target=lambda: box.append(read_file(path)), daemon=True)
        reader.start()
        reader.join(timeout)
        return box[0] if box else _timed_out(timeout)


def run_dask(jobs: list[Job], cache: Cache, address: str, timeout: float) -> Iterator[Outcome]:
    """Read jobs as tasks on the cluster at `address`, a bounded number in flight at a time."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise GovstatsError(address, "a Dask scheduler needs dask.distributed: pip install 'govstats[dask]'") from None

    with Client(address) as client:
        window = 2 * max(1, sum(client.nthreads().values()))
        queue = iter(jobs)
        running = {}

        def submit(job: Job) -> Any:
            future = client.submit(read_bytes, job[0].name, job[0].read_bytes(), timeout, pure=False)
            running[future] = job
            return future

        done = as_completed([submit(job) for job in islice(queue, window)])
        for future in done:
            job = running.pop(future)
            try:
                entry = future.result()
            except Exception as exc:  # the task or its worker failed: record it, go on
                entry = failure(Status.CRASHED, f"{type(exc).__name__}: {exc}")
            if (nxt := next(queue, None)) is not None:
                done.add(submit(nxt))
            yield job, cache.store(job[1], entry)

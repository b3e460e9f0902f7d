"""Where files are read: a local process pool, or a Dask distributed cluster.

Both take jobs (path, sha256), store each outcome in the cache and yield its metadata as
files finish, so the caller holds no parsed tables. A file that hangs is a `timeout`:
locally read_report's own alarm stops it, and a worker stuck where the alarm cannot reach
(in C code) is killed and replaced; on Dask the task gives up waiting for its reading thread
(a thread cannot be killed) and the build goes on.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from ..errors import GovstatsError
from ..schema.enums import Status
from .cache import Cache, Entry, failure, read_file

Job = tuple[Path, str]  # (path, sha256)
KILL_GRACE = 2.0  # seconds past the time limit before a worker that did not stop itself is killed
Outcome = tuple[Job, dict[str, Any]]


def _timed_out(timeout: float) -> Entry:
    return failure(Status.TIMEOUT, f"reading took longer than the {timeout:g} s limit", timeout)


# ------------------------------------------------------------------ local processes
def _serve(conn: Connection, parent_end: Connection, cache: Cache, timeout: float) -> None:
    """Worker loop: read the file it is sent, store it, answer with its metadata; stop on None or EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    parent_end.close()  # so that the parent's death reaches this worker as EOF
    try:
        while (job := conn.recv()) is not None:
            path, sha = job
            conn.send(cache.store(sha, read_file(path, timeout)))
    except (EOFError, OSError):  # the parent is gone (EOF, or a reset socket)
        pass


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    job: Job | None = None
    deadline: float = 0.0


def run_local(jobs: list[Job], cache: Cache, processes: int, timeout: float) -> Iterator[Outcome]:
    """Read jobs on `processes` forked workers, one file at a time each, killing any past `timeout`."""
    ctx = mp.get_context("fork")  # cheap start, and workers see the parent's modules as loaded
    pending = deque(jobs)
    workers: list[_Worker] = []

    def start() -> _Worker:
        parent_end, child_end = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(child_end, parent_end, cache, timeout), daemon=True)
        proc.start()
        child_end.close()
        return _Worker(proc, parent_end)

    def assign(w: _Worker) -> None:
        w.job = pending.popleft() if pending else None
        if w.job is not None:
            w.deadline = time.monotonic() + timeout + KILL_GRACE
            w.conn.send(w.job)

    def replace(w: _Worker) -> _Worker:
        w.process.kill()
        w.process.join()
        w.conn.close()
        fresh = start()
        workers[workers.index(w)] = fresh
        return fresh

    try:
        for _ in range(min(processes, len(jobs))):
            workers.append(start())
            assign(workers[-1])
        while busy := [w for w in workers if w.job is not None]:
            wait_for = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = set(wait([w.conn for w in busy], timeout=wait_for))
            for w in busy:
                job = w.job
                assert job is not None
                if w.conn in ready:
                    try:
                        meta = w.conn.recv()
                    except (EOFError, OSError):
                        w.process.join(1)
                        meta = failure(Status.CRASHED, f"the worker process died (exit code {w.process.exitcode})").meta
                        w = replace(w)
                elif time.monotonic() >= w.deadline:
                    meta = _timed_out(timeout).meta
                    w = replace(w)
                else:
                    continue
                assign(w)
                yield job, meta
    finally:
        for w in workers:
            w.process.kill()
            w.process.join()
            w.conn.close()


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

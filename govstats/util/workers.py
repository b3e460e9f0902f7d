"""A supervisor of forked worker processes: one job at a time each, a deadline per job, crashes detected.

For work where one input may hang in C code (out of reach of any in-process alarm) or kill
its process: the build reading files, the fuzzer reading hostile ones. A worker past its
job's deadline is killed together with every process it started (LibreOffice runs in its
own session, so a process group would miss it) and replaced; a worker that dies is
replaced too. Either way the job comes back as `Lost`, and the run goes on.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Generic, Self, TypeVar

import psutil

J = TypeVar("J")
R = TypeVar("R")
Note = Callable[[object, float], None]
"""Called by a job as it goes: (what it is doing now, seconds it may still take from now on)."""
Handler = Callable[[Any, Note], Any]
"""Runs one job in a worker: (job, note) -> its result, which must pickle."""


@dataclass(frozen=True)
class Lost:
    """A job that gave no result: its worker died (with `exitcode`), or was killed at the job's deadline."""

    timed_out: bool
    exitcode: int | None = None
    note: object = None  # what the job last said it was doing (None if it sent no note)


@dataclass(frozen=True)
class _Note:
    info: object
    seconds: float


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    job: Any = None  # None while idle
    deadline: float = 0.0
    note: object = None


def descendants(pid: int) -> list[psutil.Process]:
    """Live (not zombie) processes below `pid`, however deep, followed by parent, not by session."""
    try:
        found = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    return [p for p in found if _running(p)]


def _running(p: psutil.Process) -> bool:
    try:
        return p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def kill(processes: Iterable[psutil.Process]) -> None:
    """SIGKILL each of `processes` that is still there."""
    for p in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()


def kill_tree(pid: int) -> None:
    """SIGKILL process `pid` and everything below it."""
    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    kill([*descendants(pid), root])


def _serve(conn: Connection, inherited: list[Connection], start: Callable[[], Handler]) -> None:
    """Worker loop: run each job it is sent, answer with the result; stop on None or when the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for other in inherited:  # the parent's ends of every pipe: so that the parent's death reaches us as EOF
        other.close()
    handle = start()

    def note(info: object, seconds: float) -> None:
        conn.send(_Note(info, seconds))

    try:
        while (job := conn.recv()) is not None:
            conn.send(handle(job, note))
    except (EOFError, OSError):  # the parent is gone (EOF, or a reset socket)
        pass


class Workers(Generic[J, R]):
    """Up to `size` forked processes; `run(jobs)` yields (job, result or Lost) as jobs finish.

    `start` runs once in each new worker (set limits, make its scratch state) and returns the
    handler of its jobs. A job may take `limit` seconds from when it is sent, unless it sends a
    note that sets a new deadline. Jobs are never None (None tells a worker to stop). Workers
    outlive a run, so several runs share them; `close` (or the end of a `with`) stops them.
    """

    def __init__(self, start: Callable[[], Handler], size: int, limit: float) -> None:
        self.start, self.size, self.limit = start, size, limit
        self._ctx = mp.get_context("fork")  # cheap start, and workers see the parent's modules as loaded
        self._workers: list[_Worker] = []

    def _spawn(self) -> tuple[BaseProcess, Connection]:
        mine, theirs = self._ctx.Pipe()
        inherited = [w.conn for w in self._workers] + [mine]
        proc = self._ctx.Process(target=_serve, args=(theirs, inherited, self.start), daemon=True)
        proc.start()
        theirs.close()
        return proc, mine

    def _stop(self, w: _Worker) -> None:
        pid = w.process.pid
        if pid is not None and w.process.exitcode is None:  # running, and not reaped: the pid is still its own
            kill_tree(pid)
        w.process.join()
        w.conn.close()

    def _restart(self, w: _Worker) -> None:
        self._stop(w)
        w.process, w.conn = self._spawn()
        w.job, w.note = None, None

    def _assign(self, w: _Worker, todo: deque[J]) -> None:
        if todo:
            w.job, w.note, w.deadline = todo.popleft(), None, time.monotonic() + self.limit
            w.conn.send(w.job)

    def _lose(self, w: _Worker, todo: deque[J], *, timed_out: bool) -> tuple[J, Lost]:
        """The job of a worker that died or overran, after replacing the worker and giving it the next job."""
        if not timed_out:
            w.process.join(1)  # collect the exit code
        job, lost = w.job, Lost(timed_out, None if timed_out else w.process.exitcode, w.note)
        self._restart(w)
        self._assign(w, todo)
        return job, lost

    def run(self, jobs: Iterable[J]) -> Iterator[tuple[J, R | Lost]]:
        """Run jobs, each in a free worker; yield each with its result, or with Lost, as it ends."""
        todo = deque(jobs)
        while len(self._workers) < min(self.size, len(todo)):
            self._workers.append(_Worker(*self._spawn()))
        for w in self._workers:
            if w.job is None:
                self._assign(w, todo)
        while busy := [w for w in self._workers if w.job is not None]:
            wait_for = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = set(wait([w.conn for w in busy], timeout=wait_for))
            for w in busy:
                if w.conn in ready:
                    try:
                        msg = w.conn.recv()
                    except (EOFError, OSError):
                        yield self._lose(w, todo, timed_out=False)
                        continue
                    if isinstance(msg, _Note):
                        w.note, w.deadline = msg.info, time.monotonic() + msg.seconds
                        continue
                    job = w.job
                    w.job = None
                    self._assign(w, todo)  # the worker starts on the next job while the caller takes this one
                    yield job, msg
                elif time.monotonic() >= w.deadline:
                    yield self._lose(w, todo, timed_out=True)

    def close(self) -> None:
        """Stop every worker: idle ones are asked to exit, busy ones (an abandoned run) are killed."""
        for w in self._workers:
            if w.job is None:
                with contextlib.suppress(OSError):
                    w.conn.send(None)
                w.process.join(5)
            self._stop(w)
        self._workers = []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

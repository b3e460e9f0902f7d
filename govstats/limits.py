"""A per-file time limit, so one hostile or pathological file cannot hang a run."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

from .errors import GovstatsError, ReadTimeoutError

DEFAULT_TIMEOUT = 120.0  # seconds; LibreOffice conversions of large DOC files take a while


@contextlib.contextmanager
def time_limit(path: str | Path, seconds: float | None) -> Iterator[None]:
    """Raise ReadTimeoutError naming `path` when the block runs longer than `seconds`.

    Uses SIGALRM, so it applies in the main thread of a process (the CLI and every build
    worker); elsewhere, or with seconds=None, the block runs unbounded.
    """
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    fired = False
    reason = f"reading took longer than {seconds:g} s"

    def expire(signum: int, frame: object) -> None:
        nonlocal fired
        fired = True
        raise ReadTimeoutError(path, reason)

    previous = signal.signal(signal.SIGALRM, expire)
    # Fires again every second: a library that swallows the alarm (`except Exception`) gets another.
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    except GovstatsError as exc:
        if fired and not isinstance(exc, ReadTimeoutError):  # a reader wrapped the alarm as a damaged file
            raise ReadTimeoutError(path, reason) from exc
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

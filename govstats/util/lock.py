"""One process at a time per directory: an exclusive lock that fails at once instead of waiting."""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import IO

from ..errors import GovstatsError


def exclusive_lock(path: Path, busy: str) -> IO[str]:
    """Lock file `path` for this process, or raise GovstatsError(path's directory, busy) if another holds it.

    The lock is held while the returned file is open: close it (or use it in a `with`) to
    release it. The kernel drops it when the process dies, so a killed run leaves no stale lock.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise GovstatsError(path.parent, busy) from None
    return handle

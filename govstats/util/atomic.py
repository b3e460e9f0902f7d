"""Files and symlinks that appear whole or not at all, even if the process is killed mid-write.

The new content goes to a temporary name in the same directory (a rename is atomic only
within one file system), is flushed to disk, and is renamed into place; the directory is
then flushed too, so the rename itself survives a power cut.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TMP_SUFFIX = ".tmp"  # every temporary name ends so: a cleaner can tell leftovers of a killed run


@contextmanager
def atomic_write(path: Path, *, replace: bool = True, tmp_dir: Path | None = None) -> Iterator[Path]:
    """A temporary path to write; it becomes `path` only when the block succeeds.

    With replace=False an existing `path` is never overwritten: FileExistsError is raised
    instead (the temporary file is hard-linked, not renamed). `tmp_dir` puts the temporary
    file elsewhere on the same file system, for a caller that clears its leftovers there.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=tmp_dir or path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.chmod(0o644)  # mkstemp makes it private; outputs are meant to be read
        _fsync_file(tmp)
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
        _fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_symlink(target: str, link: Path) -> None:
    """Point `link` at `target` in one step: a temporary link renamed over the old one."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    tmp = link.with_name(f".{link.name}.{os.getpid()}{TMP_SUFFIX}")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, link)
    _fsync_dir(link.parent)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    """Flush a directory's entries (a rename or link in it) to disk."""
    _fsync_file(path)

"""Generation directories of an output directory, its lock and its `.current` link: no Arrow, no pandas.

Each build writes into a fresh generation directory `OUT/.builds/NNNNNN`; publishing swaps
the symlink `OUT/.current` to it in one `os.replace`, so a build killed at any moment leaves
the previous outputs intact. Kept apart from `store` (which writes the tables) so that a
build with nothing to do finds that out without importing pyarrow or DuckDB.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..util.lock import exclusive_lock


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """One build at a time per output directory (the lock dies with its process)."""
    out.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(out / ".lock", "another build is writing this directory"):
        yield


def current(out: Path) -> Path | None:
    """The published generation directory, or None before the first build."""
    link = out / ".current"
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def _generations(out: Path) -> list[Path]:
    root = out / ".builds"
    return sorted(p for p in root.iterdir() if p.name.isdigit()) if root.is_dir() else []


def new_generation(out: Path) -> Path:
    """A fresh, empty directory for this build's outputs (unpublished until `store.publish`)."""
    gens = _generations(out)
    gen = out / ".builds" / f"{int(gens[-1].name) + 1 if gens else 1:06d}"
    gen.mkdir(parents=True)
    return gen


def prune(out: Path, keep: set[Path | None]) -> None:
    """Remove generations not kept (stale ones are left by killed builds)."""
    kept = {k.resolve() for k in keep if k is not None}
    for path in _generations(out):
        if path.resolve() not in kept:
            shutil.rmtree(path, ignore_errors=True)

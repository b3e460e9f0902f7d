"""Where the per-file cache keeps its entries, and which files have one: no Arrow.

Kept apart from `cache` (which reads files and (de)serialises their tables) so that a build
with nothing to do can tell so without importing the parsers, pandas or pyarrow.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ..util.atomic import TMP_SUFFIX


class CacheDir:
    """`<root>/v<parser version>/<sha256>.entry`."""

    def __init__(self, root: Path, version: str) -> None:
        self.root = root
        self.dir = root / re.sub(r"[^\w.-]", "_", f"v{version}")

    def _path(self, sha: str) -> Path:
        return self.dir / f"{sha}.entry"

    def has(self, sha: str) -> bool:
        return self._path(sha).exists()

    def prune(self, keep: set[str]) -> None:
        """Drop other parser versions, entries of files no longer present, and temporary files."""
        for other in self.root.iterdir() if self.root.is_dir() else ():
            if other != self.dir:
                shutil.rmtree(other, ignore_errors=True)
        for path in self.dir.iterdir() if self.dir.is_dir() else ():
            if path.name.split(".")[0] not in keep or path.name.endswith(TMP_SUFFIX):
                path.unlink(missing_ok=True)

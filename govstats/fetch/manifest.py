"""data/raw/manifest.csv: one row per request outcome, appended as it happens.

The manifest is also the fetch cache: the latest successful row for a URL whose file
is still on disk means that URL need not be downloaded again, and its ETag /
Last-Modified make a conditional request possible. Rows are appended with one
write each and fsync'd, so a killed run leaves at most a partial last line, which
the next run cuts off. `govstats build` carries url and title into its tables from
here; the latest row for a path wins.
"""

from __future__ import annotations

import csv
import io
import os
import threading
from pathlib import Path

from ..util.atomic import atomic_write

COLUMNS = [
    "url", "final_url", "status", "content_type", "bytes", "sha256", "fetched_at", "agency", "year", "title",
    "path", "error",
    # beyond the columns: what was asked for, from where, how often, and the cache validators
    "kind", "parent", "attempts", "etag", "last_modified",
]
OK_STATUS = {"200", "304"}


def _one_line(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())


class Manifest:
    """Thread-safe appender and reader of the manifest CSV."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stale = True  # the file is missing or its header lacks columns: rewrite on first append
        self.header, self.rows = self._load()

    def _load(self) -> tuple[list[str], list[dict[str, str]]]:
        if not self.path.exists():
            return list(COLUMNS), []
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):  # a run killed mid-write: drop the partial row
            data = data[: data.rfind(b"\n") + 1]
            with self.path.open("r+b") as f:
                f.truncate(len(data))
        reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
        rows = [{k: v or "" for k, v in row.items() if k is not None} for row in reader]
        header = list(reader.fieldnames or COLUMNS)
        full = header + [c for c in COLUMNS if c not in header]
        self._stale = reader.fieldnames is None or full != header
        return full, rows

    def append(self, row: dict[str, object]) -> None:
        """Append one row; a new column (an extra column of a fetch list) rewrites the file atomically."""
        clean = {k: _one_line(v) for k, v in row.items()}
        with self._lock:
            self.rows.append(clean)
            new = [k for k in clean if k not in self.header]
            if new or self._stale:
                self.header += new
                self._rewrite()
                self._stale = False
                return
            buf = io.StringIO()
            csv.DictWriter(buf, self.header, lineterminator="\n").writerow(clean)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            try:
                os.write(fd, buf.getvalue().encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)

    def _rewrite(self) -> None:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, self.header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows)
        with atomic_write(self.path) as tmp:
            tmp.write_bytes(buf.getvalue().encode("utf-8"))

    def latest_ok(self, root: Path) -> dict[str, dict[str, str]]:
        """Per URL, the latest successful row whose file is still there, whole."""
        out: dict[str, dict[str, str]] = {}
        for row in self.rows:
            if row.get("status") in OK_STATUS and row.get("path") and not row.get("error"):
                f = root / row["path"]
                if f.is_file() and str(f.stat().st_size) == row.get("bytes"):
                    out[row["url"]] = row
        return out

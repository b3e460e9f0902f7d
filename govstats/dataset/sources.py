"""The raw files of a build and what is known about each before reading it.

- `synthetic`: a file below a directory holding a `.synthetic` marker file was generated
  (govstats.synth_corpus writes one), not published by an agency.
- `url`, `title`: from `RAW_DIR/manifest.csv` (written by the fetcher; `path` relative to RAW_DIR).
"""

from __future__ import annotations

import csv
import json
from dataclasses import astuple, dataclass
from pathlib import Path

from ..errors import GovstatsError
from ..formats import report_files
from ..util.hashing import sha256_bytes, sha256_file

SYNTHETIC_MARKER = ".synthetic"
MANIFEST = "manifest.csv"


@dataclass(frozen=True)
class Source:
    path: Path
    rel: str  # posix path relative to the raw directory: the `path` column
    sha256: str
    bytes: int
    synthetic: bool
    url: str | None
    title: str | None


def _manifest(raw: Path) -> dict[str, tuple[str | None, str | None]]:
    """path → (url, title); the last row for a path wins (a later fetch)."""
    try:
        with open(raw / MANIFEST, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except FileNotFoundError:
        return {}
    return {
        Path(r["path"]).as_posix(): (r.get("url") or None, r.get("title") or None)
        for r in rows if r.get("path")
    }


def discover(raw: Path) -> list[Source]:
    """Every report file below raw, in path order, hashed."""

    if not raw.is_dir():
        raise GovstatsError(raw, "no such directory")
    manifest = _manifest(raw)
    marked: dict[Path, bool] = {}

    def synthetic(d: Path) -> bool:
        if d not in marked:
            marked[d] = (d / SYNTHETIC_MARKER).exists() or (d != raw and synthetic(d.parent))
        return marked[d]

    out = []
    for path in report_files(raw):
        rel = path.relative_to(raw).as_posix()
        url, title = manifest.get(rel, (None, None))
        out.append(Source(path, rel, sha256_file(path), path.stat().st_size, synthetic(path.parent), url, title))
    return sorted(out, key=lambda s: s.rel)


def fingerprint(sources: list[Source], parser_version: str, output_version: str) -> str:
    """What the outputs depend on: equal fingerprints, equal outputs."""
    rows = [astuple(s)[1:] for s in sources]
    return sha256_bytes(json.dumps([parser_version, output_version, rows]).encode())

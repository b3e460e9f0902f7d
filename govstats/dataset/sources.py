"""The raw files of a build and what is known about each before reading it.

- `synthetic`: a file below a directory holding a `.synthetic` marker file was generated
  (govstats.synth_corpus writes one), not published by an agency.
- `url`, `title`, `agency`: from `RAW_DIR/manifest.csv` (written by the fetcher; `path` relative to RAW_DIR;
  `agency` is the fetch list's, which the build resolves against the agency register).

`fingerprint` also covers what the build applies after reading: `RAW_DIR/overrides.csv`,
`RAW_DIR/corrections.csv` and the agency register (`inputs_digest`), so editing any of them rebuilds
the outputs, never a stale no-op.
"""

from __future__ import annotations

import csv
import json
from dataclasses import astuple, dataclass
from pathlib import Path

from ..errors import GovstatsError
from ..formats import report_files
from ..schema.agencies import AGENCIES_CSV, ALIASES_CSV, DATA
from ..util.hashing import sha256_bytes, sha256_file

SYNTHETIC_MARKER = ".synthetic"
MANIFEST = "manifest.csv"
OVERRIDES = "overrides.csv"
CORRECTIONS = "corrections.csv"


@dataclass(frozen=True)
class Source:
    path: Path
    rel: str  # posix path relative to the raw directory: the `path` column
    sha256: str
    bytes: int
    synthetic: bool
    url: str | None
    title: str | None
    agency: str | None = None  # the manifest's (fetch list's) agency


def _manifest(raw: Path) -> dict[str, tuple[str | None, str | None, str | None]]:
    """path → (url, title, agency); the last row for a path wins (a later fetch)."""
    try:
        with open(raw / MANIFEST, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except FileNotFoundError:
        return {}
    return {
        Path(r["path"]).as_posix(): (r.get("url") or None, r.get("title") or None, r.get("agency") or None)
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
        url, title, agency = manifest.get(rel, (None, None, None))
        out.append(Source(path, rel, sha256_file(path), path.stat().st_size, synthetic(path.parent), url, title,
                          agency))
    return sorted(out, key=lambda s: s.rel)


def user_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a user-maintained CSV below RAW_DIR, values stripped; none when it does not exist."""
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return [(n, {k: (r.get(k) or "").strip() for k in columns}) for n, r in enumerate(csv.DictReader(fh), 2)]


def inputs_digest(raw: Path) -> str:
    """Hash of what the build applies to the reports it read: overrides, corrections and the agency register."""
    parts = [(raw / name).read_bytes() if (raw / name).is_file() else b"" for name in (OVERRIDES, CORRECTIONS)]
    parts += [DATA.joinpath(name).read_bytes() for name in (AGENCIES_CSV, ALIASES_CSV)]
    return sha256_bytes(b"\0".join(parts))


def fingerprint(sources: list[Source], parser_version: str, output_version: str, inputs: str = "") -> str:
    """What the outputs depend on: equal fingerprints, equal outputs. `inputs`: `inputs_digest`."""
    rows = [astuple(s)[1:] for s in sources]
    return sha256_bytes(json.dumps([parser_version, output_version, rows, inputs]).encode())

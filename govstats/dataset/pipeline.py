"""`build`: read every report below a raw directory into one published dataset.

Steps: discover and hash the files; if the cache holds every one and the published
generation was built from exactly these files (its fingerprint), answer from that
generation's `build.json` — nothing is imported beyond the standard library, so a no-op
build takes a fraction of a second. Otherwise `rebuild` reads those the cache lacks
(process pool or Dask), streams every file's cells and checks into a new generation, adds
the cross-report checks, writes DuckDB and publishes atomically.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..limits import LIMITS
from . import generations
from .cachedir import CacheDir
from .sources import discover, fingerprint, inputs_digest

if TYPE_CHECKING:
    import pandas as pd

OUTPUT_VERSION = "4"  # bump when the output layout changes: the next build rewrites it (2: build.json summary,
OUTPUT_VERSION = "5"  # bump when the output layout changes: the next build rewrites it (2: build.json summary,
# 3: panel, honest statuses, alternate checks, resolved agency columns in reports; 4: table legacy, alternates
# compared on keys printed once; 5: provenance fields, corrections)


@dataclass
class BuildResult:
    """What a build did: the CLI's exit code and summary, and a script's handle on the outputs."""

    out: Path
    generation: Path  # the published generation directory the figures describe
    read: int  # files parsed by this build
    cached: int  # files whose parse came from the cache
    failed: int  # files whose status is a failure (error, failed, timeout, crashed)
    summary: str

    @cached_property
    def reports(self) -> pd.DataFrame:
        """reports.parquet of this build's generation, read on first use (it is kept until two more builds)."""
        import pandas as pd

        return pd.read_parquet(self.generation / "reports.parquet")


def _record(gen: Path) -> dict[str, Any]:
    """What the build that wrote gen recorded in its build.json."""
    return json.loads((gen / "build.json").read_text())


def build(raw_dir: str | Path = "data/raw", out: str | Path = "data/processed", *, jobs: int | None = None,
          timeout: float = LIMITS.read_timeout, scheduler: str | None = None,
          progress: bool | None = None) -> BuildResult:
    """Build (or bring up to date) the dataset of every report below raw_dir into out.

    jobs: local worker processes (default: every core); scheduler: a Dask scheduler address
    (tcp://HOST:PORT) to read on a cluster instead; timeout: seconds allowed per file;
    progress: None = a bar on a terminal and log lines otherwise, False = quiet.
    """
    from .._version import PARSER_VERSION

    start = time.perf_counter()
    raw, out = Path(raw_dir), Path(out)
    version = str(PARSER_VERSION)
    with generations.locked(out):
        generations.prune(out, keep={generations.current(out)})
        sources = discover(raw)
        cache = CacheDir(out / ".cache", version)
        unique = list(dict.fromkeys(s.sha256 for s in sources))
        paths = {s.sha256: s.path for s in reversed(sources)}
        todo = [(paths[sha], sha) for sha in unique if not cache.has(sha)]
        fp = fingerprint(sources, version, OUTPUT_VERSION, inputs_digest(raw))
        gen = generations.current(out)
        if todo or gen is None or _record(gen)["fingerprint"] != fp:
            from .rebuild import rebuild  # the parsers, pandas, Arrow and DuckDB: only when there is work

            gen = rebuild(raw, out, sources, todo, fp, version, jobs=jobs, timeout=timeout, scheduler=scheduler,
                          progress=progress)
        record = _record(gen)
    head = (f"{len(sources)} files in {raw} → {out}: {len(todo)} read, {len(unique) - len(todo)} from the cache, "
            f"{time.perf_counter() - start:.1f} s")
    return BuildResult(out, gen, len(todo), len(unique) - len(todo), record["failed"], f"{head}\n{record['summary']}")

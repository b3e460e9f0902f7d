"""Benchmark what a user waits for before any work: importing govstats, `govstats --help`, and
`govstats build` when nothing changed.

    .venv/bin/python benchmarks/bench_startup.py [--runs 7] [--raw data/raw]

Prints, as a table, the median (and the fastest) of several runs of: the cumulative import time
of `govstats` from `python -X importtime` (target ≤ 0.3 s); the wall clock of `govstats --help`
(≤ 0.4 s); and the wall clock of a second `govstats build RAW --out X` with nothing changed
(≤ 0.5 s; the first build, not timed, is made into a temporary directory).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).with_name("govstats")  # the console script, as a user runs it
GOVSTATS = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "govstats.cli"]


def import_seconds() -> float:
    """`import govstats`, cumulative, as `-X importtime` reports it (microseconds on its last line)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import govstats"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    last = re.fullmatch(r"import time:\s+\d+ \|\s+(\d+) \| govstats", done.stderr.strip().splitlines()[-1])
    assert last, done.stderr[-500:]
    return int(last.group(1)) / 1e6


def wall_seconds(argv: list[str]) -> Callable[[], float]:
    """A timer of one run of argv, start to exit."""
    def timed() -> float:
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start
    return timed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="runs per figure (the median is reported)")
    ap.add_argument("--raw", type=Path, default=ROOT / "data" / "raw", help="raw folder rebuilt (default data/raw)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="govstats-bench-") as out:
        build = [*GOVSTATS, "build", str(args.raw), "--out", out]
        wall_seconds(build)()  # the first build: everything is read
        figures = [
            ("python -X importtime -c 'import govstats'", import_seconds, 0.3),
            ("govstats --help", wall_seconds([*GOVSTATS, "--help"]), 0.4),
            (f"govstats build {args.raw.name} (nothing changed)", wall_seconds(build), 0.5),
        ]
        rows = []
        for name, measure, target in figures:
            times = [measure() for _ in range(args.runs)]
            median = statistics.median(times)
            rows.append((name, median, min(times), target, "ok" if median <= target else "SLOW"))
    width = max(len(r[0]) for r in rows)
    print(f"{'':{width}}  median s  fastest s  target s")
    for name, median, fastest, target, verdict in rows:
        print(f"{name:{width}}  {median:8.3f}  {fastest:9.3f}  {target:8.1f}  {verdict}")


if __name__ == "__main__":
    main()

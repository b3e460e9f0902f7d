"""Benchmark `govstats build` on N generated reports (mixed HTML and text).

    .venv/bin/python benchmarks/bench_build.py --n 2000
    .venv/bin/python benchmarks/bench_build.py --n 5000

Prints the first build's time, an unchanged rebuild's time and their ratio, reports per
second, and peak memory (this process and its largest worker, from getrusage). Targets on
a 2-core machine: 2,000 reports in under 30 s; under 1 GB peak for 5,000; rebuild under 5 %.
Run one N per process, so that the peak memory is that N's.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import govstats
from govstats.testing import synthetic
from govstats.testing.sample import carry_over

STYLES = ("html", "pipe", "layout")


def write_reports(raw: Path, n: int) -> None:
    """n reports: agencies with six years each (2019–2024, carried over year to year), rotating
    HTML, pipe text and layout text."""
    previous = None
    for i in range(n):
        year = 2019 + i % 6
        rep = synthetic.make_report(i, f"临江市第{i // 6}区人民政府", year)
        if year > 2019 and previous is not None:
            carry_over(rep, previous)
        previous = rep
        style = STYLES[i % len(STYLES)]
        path = raw / f"{i // 1000:02d}" / f"r{i:05d}.{'html' if style == 'html' else 'txt'}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(synthetic.render_html(rep) if style == "html" else synthetic.render_text(rep, style), "utf-8")


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child, in MB (Linux reports KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cpu_s() -> tuple[float, float]:
    """CPU seconds of this process and of its finished workers: what a busy machine does not inflate."""
    own, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime, workers.ru_utime + workers.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--jobs", type=int)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="govstats-bench-") as tmp:
        raw, out = Path(tmp) / "raw", Path(tmp) / "out"
        start = time.perf_counter()
        write_reports(raw, args.n)
        print(f"generated {args.n} reports in {time.perf_counter() - start:.1f} s")
        start, cpu = time.perf_counter(), cpu_s()
        first = govstats.build(raw, out, jobs=args.jobs, progress=False)
        first_s = time.perf_counter() - start
        own_cpu, workers_cpu = (b - a for a, b in zip(cpu, cpu_s(), strict=True))
        start = time.perf_counter()
        again = govstats.build(raw, out, jobs=args.jobs, progress=False)
        again_s = time.perf_counter() - start
        own, child = peak_mb()
    assert first.failed == 0 and first.read == args.n and again.read == 0
    print(f"first build: {first_s:.1f} s ({args.n / first_s:.0f} reports/s); "
          f"CPU {workers_cpu:.1f} s in workers, {own_cpu:.1f} s in the build process")
    print(f"unchanged rebuild: {again_s:.2f} s ({100 * again_s / first_s:.1f} % of the first)")
    print(f"peak memory: {own:.0f} MB (build) + {child:.0f} MB (largest worker) = {own + child:.0f} MB")


if __name__ == "__main__":
    main()

"""`python -m fuzz` (from tests/): the long seeded run, and minimising what it finds.

    python -m fuzz --cases 10000 --seed 1           # prints counts by outcome; exit 1 on any failure
    python -m fuzz minimise FAILURES/case-123.pickle  # smallest input that still fails the same way
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import pickle
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from .harness import FAILURES, Outcome, Pool, make_case
from .mutators import Case
from .seeds import build_seeds


def summary(outcomes: list[Outcome], minutes: float) -> str:
    """Counts by outcome: every failure kind is listed, with 0 when it did not happen."""
    counts = Counter(o.kind for o in outcomes)
    lines = [f"{len(outcomes):,} cases in {minutes:.1f} min"]
    lines += [f"  {kind:32} {counts[kind]:7,}" for kind in sorted(k for k in counts if k not in FAILURES)]
    lines += [f"  {kind:32} {counts[kind]:7,}" for kind in FAILURES]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    seeds = build_seeds()
    out = Path(args.failures) if args.failures else None
    print(f"fuzz: {args.cases:,} cases, seed {args.seed}, {args.workers} workers, {len(seeds)} seeds", flush=True)
    start = time.monotonic()
    outcomes: list[Outcome] = []
    with Pool(seeds, args.seed, args.workers) as pool:
        for o in pool.run(range(args.cases)):
            outcomes.append(o)
            if o.failed:
                out = out or Path(tempfile.mkdtemp(prefix="govstats-fuzz-failures-"))
                out.mkdir(parents=True, exist_ok=True)
                case = make_case(seeds, args.seed, o.index)
                case.write(out / f"case-{o.index}{case.suffix}")
                (out / f"case-{o.index}.pickle").write_bytes(pickle.dumps((case, o)))
                print(f"FAIL {o.kind} #{o.index} {o.seed} {o.mutation}: {o.detail.strip()[-400:]}", flush=True)
            if len(outcomes) % 1000 == 0:
                print(f"  {len(outcomes):,} done, {(time.monotonic() - start) / 60:.1f} min", flush=True)
    print(summary(outcomes, (time.monotonic() - start) / 60))
    slow = sorted(outcomes, key=lambda o: -o.seconds)[:5]
    print("slowest: " + "; ".join(f"#{o.index} {o.mutation} {o.kind} {o.seconds:.1f}s" for o in slow))
    failed = sum(o.failed for o in outcomes)
    if failed:
        print(f"{failed} failures saved in {out} (minimise: python -m fuzz minimise {out}/case-N.pickle)")
    return 1 if failed else 0


def _shrink(pool: Pool, case: Case, kind: str, units: list[bytes], joiner: bytes, budget: int) -> tuple[list[bytes], int]:
    """Drop chunks of units (halving the chunk size) while the case still fails as `kind`."""
    chunk = max(1, len(units) // 2)
    while budget > 0:
        i = 0
        while i < len(units) and budget > 0:
            trial = units[:i] + units[i + chunk:]
            budget -= 1
            got = next(pool.run([dataclasses.replace(case, data=joiner.join(trial), size=0)]))
            if got.kind == kind:
                units = trial
            else:
                i += chunk
        if chunk == 1:
            break
        chunk = max(1, chunk // 2)
    return units, budget


def minimise(args: argparse.Namespace) -> int:
    case, outcome = pickle.loads(Path(args.pickle).read_bytes())
    with Pool(build_seeds(), workers=1) as pool:
        lines, left = _shrink(pool, case, outcome.kind, case.data.split(b"\n"), b"\n", args.budget)
        data, _ = _shrink(pool, case, outcome.kind, [bytes([b]) for b in b"\n".join(lines)], b"", left)
        final = next(pool.run([dataclasses.replace(case, data=b"".join(data), size=0)]))
    target = Path(args.pickle).with_suffix(".min" + case.suffix)
    target.write_bytes(b"".join(data))
    print(f"{len(case.data):,} → {target.stat().st_size:,} bytes, still {final.kind}: {final.detail.strip()[-300:]}")
    print(target)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--failures", help="directory for failing inputs (default: a new temporary directory)")
    sub = parser.add_subparsers(dest="command")
    m = sub.add_parser("minimise", help="shrink a saved failure")
    m.add_argument("pickle")
    m.add_argument("--budget", type=int, default=600, help="most trial runs")
    args = parser.parse_args(argv)
    return minimise(args) if args.command == "minimise" else run(args)


if __name__ == "__main__":
    sys.exit(main())

"""The bounded, seeded fuzz run of `make test` (`make fuzz` is the long one): nothing crashes, hangs or lies.

Every hostile file first, then a few hundred random mutations of every seed format, each
in a memory-capped worker with a hard kill behind read_report's own time limit.
"""

from __future__ import annotations

from collections import Counter

import pytest

from fuzz.__main__ import summary
from fuzz.harness import Outcome, Pool
from fuzz.hostile import HOSTILE
from fuzz.mutators import MUTATORS
from fuzz.seeds import build_seeds

RUN_SEED = 7
RANDOM_CASES = 300
TIMEOUT = 5.0  # read_report's limit here; `make fuzz` allows 10 s
# hostile files whose outcome is settled by design (name prefix → outcome); the rest may end either way.
# Regressions: the PDFs below aborted the process in PDFium, the 60 MB files ran out of memory (MemoryError,
# lxml's 'unknown error'), and the 1M-cell workbook's time-out came out as 'a damaged Excel workbook'.
EXPECTED = {
    "empty": "error:CorruptFileError",
    "200MB-sparse": "error:FileTooLargeError",
    "60MB": "error:FileTooLargeError",
    "500-pages": "error:FileTooLargeError",
    "million-operators": "error:FileTooLargeError",
    "inflate-1GB": "error:FileTooLargeError",
    "bomb-300MB": "error:ArchiveBombError",
    "bomb-overlapping": "error:ArchiveBombError",
    "bomb-10001": "error:ArchiveBombError",
    "traversal": "error:ArchiveBombError",
    "1M-cells": "error:ReadTimeoutError",
    "nested": "report",
    "100k-cells": "report",
    "huge-spans": "report",
    **{f"{fmt}-as": "report" for fmt in ("html", "pdf", "docx", "xlsx", "xls", "txt")},
}


@pytest.fixture(scope="module")
def pool():
    with Pool(build_seeds(), RUN_SEED, workers=2, timeout=TIMEOUT) as p:
        yield p


def _failures(outcomes: list[Outcome]) -> str:
    return "\n".join(f"#{o.index} {o.seed} {o.mutation} {o.kind}: {o.detail.strip()[-600:]}"
                     for o in outcomes if o.failed)


def test_every_hostile_file_ends_in_a_report_or_a_clear_error(pool):
    outcomes = list(pool.run(range(len(HOSTILE))))
    assert len(outcomes) == len(HOSTILE)
    assert not _failures(outcomes), _failures(outcomes)
    wrong = {o.mutation: o.kind for o in outcomes for prefix, kind in EXPECTED.items()
             if o.mutation.startswith(prefix) and o.kind != kind}
    assert not wrong


def test_seeded_mutations_of_every_format(pool):
    outcomes = list(pool.run(range(len(HOSTILE), len(HOSTILE) + RANDOM_CASES)))
    print(summary(outcomes, 0))
    assert not _failures(outcomes), _failures(outcomes)
    ran = {o.mutation.split(".")[0] for o in outcomes}
    assert ran >= {m.__name__ for m, _, _ in MUTATORS}
    kinds = Counter(o.kind for o in outcomes)
    assert kinds["report"] >= RANDOM_CASES // 3  # most mutations leave a readable report, and it is read
    assert sum(n for k, n in kinds.items() if k.startswith("error:")) >= RANDOM_CASES // 10

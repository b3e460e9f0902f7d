"""How exactly govstats reads generated reports back, per rendering: the core of `bench_accuracy`.

Generated reports know every value they print, so a reading can be scored cell by cell: a cell
is (table, row, column, value) and a value read counts as found only when equal to the one
printed (a blank read as 0, or a value flagged `inferred` or `prose`, counts when equal). Metadata are
scored as right or wrong. Then each report is printed once more with one value changed so that
one of its identities breaks: the checks must catch every such change and must not fail on a
report whose numbers add up. A rendering prints the reports of its corpus (`CORPORA`): the
national tables, a pre-2019 统计表, or a pre-2019 report that states its figures in sentences
(no identities to break: not injected). Every request figure read that the report does not state
(a date, a document number or a count of web posts taken for one) is a false prose reading.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .. import read_report
from ..errors import GovstatsError
from ..schema import Key
from . import renderings
from .legacy import CHECKED_ROWS, REQUEST_MEASURES, make_legacy_report
from .synthetic import SyntheticReport, make_report

AGENCIES = ("临江市人民政府", "东海省交通运输厅", "青山区人民政府", "翠湖街道办事处", "示例县市场监督管理局")
CHECKED_TABLES = ("requests", "review")  # every value of these takes part in a sum the checks verify (legacy: rows)
Cell = tuple[str, str, str, float]


def corpus(seeds: Iterable[int]) -> list[SyntheticReport]:
    """One report per seed: templates alternate, agencies and years vary, every other pair has blank cells."""
    reports = []
    for seed in seeds:
        rng = random.Random(seed)
        template = ("2019", "2021")[seed % 2]
        year = rng.choice((2019, 2020)) if template == "2019" else rng.randint(2021, 2025)
        rep = make_report(seed, AGENCIES[seed % len(AGENCIES)], year, template)
        if seed % 4 >= 2:
            zeros = sorted(k for k, v in rep.values.items() if v == 0)
            rep.blanks = set(rng.sample(zeros, min(6, len(zeros))))
        reports.append(rep)
    return reports


def legacy_corpus(seeds: Iterable[int], *, prose: bool = False) -> list[SyntheticReport]:
    """One pre-2019 report per seed: a 统计表 of 2014–2018, or (`prose`) sentences of 2008–2018."""
    reports = []
    for seed in seeds:
        year = random.Random(seed).randint(2008 if prose else 2014, 2018)
        reports.append(make_legacy_report(seed, AGENCIES[seed % len(AGENCIES)], year, prose=prose))
    return reports


CORPORA = {"national": corpus, "legacy": legacy_corpus, "legacy-prose": lambda s: legacy_corpus(s, prose=True)}


def inject(rep: SyntheticReport, seed: int) -> tuple[SyntheticReport, Key]:
    """A copy of `rep` with one value of a checked table raised, so its row (and column) sums break."""
    rng = random.Random(seed)
    key = rng.choice(sorted(k for k in rep.values if k[0] in CHECKED_TABLES or k[1] in CHECKED_ROWS))
    values = dict(rep.values)
    values[key] += rng.randint(1, 9)
    return dataclasses.replace(rep, values=values, blanks=rep.blanks - {key}), key


@dataclasses.dataclass(frozen=True)
class Reading:
    """One report read back from one rendering."""

    rendering: str
    seed: int
    injected: bool
    expected: frozenset[Cell]
    found: frozenset[Cell]
    metadata: tuple[bool, bool, bool]  # agency, year, template right
    failed_error: bool  # some error-severity check failed
    error: str = ""  # the GovstatsError raised, when the file could not be read at all


def read_back(rep: SyntheticReport, rendering: str, folder: Path, seed: int, injected: bool = False) -> Reading:
    expected = frozenset((*k, float(v)) for k, v in rep.values.items())
    try:
        report = read_report(renderings.render(rep, rendering, folder))
    except GovstatsError as err:
        return Reading(rendering, seed, injected, expected, frozenset(), (False, False, False), True, str(err))
    c = report.cells
    found = frozenset(zip(c["table"], c["row"], c["column"], c["value"].astype(float), strict=True))
    meta = (report.agency == rep.agency, report.year == rep.year, report.template == rep.template)
    return Reading(rendering, seed, injected, expected, found, meta, not report.ok)


def _read_case(case: tuple[SyntheticReport, str, Path, int, bool]) -> Reading:
    return read_back(*case)


def run(seeds: Sequence[int], names: Sequence[str], folder: Path, jobs: int = 1) -> list[Reading]:
    """Every report of `corpus(seeds)`, and its injected twin, read back from every rendering in `names`."""
    cases = []
    for kind, make in CORPORA.items():
        chosen = [n for n in names if renderings.RENDERINGS[n].corpus == kind]
        if not chosen:
            continue
        where = "" if kind == "national" else f"-{kind}"
        for seed, rep in zip(seeds, make(seeds), strict=True):
            twin = inject(rep, seed)[0] if kind != "legacy-prose" else None
            for name in chosen:
                cases.append((rep, name, folder / f"{seed}{where}", seed, False))
                if twin is not None:
                    cases.append((twin, name, folder / f"{seed}{where}-injected", seed, True))
    if jobs <= 1:
        return [_read_case(c) for c in cases]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(_read_case, cases, chunksize=4))


@dataclasses.dataclass(frozen=True)
class Score:
    """The figures of one rendering; shares are 0..1."""

    rendering: str
    documents: int
    unreadable: int
    precision: float
    recall: float
    f1: float
    agency: float
    year: float
    template: float
    injected: int
    caught: float  # share of injected inconsistencies that fail an error check
    false_alarms: int  # consistent documents that fail an error check
    false_prose: int  # request figures read that the report does not state (legacy: a number of something else)


def score(readings: Iterable[Reading]) -> list[Score]:
    by: dict[str, list[Reading]] = {}
    for r in readings:
        by.setdefault(r.rendering, []).append(r)
    return [_score(name, rs) for name, rs in by.items()]


def _share(n: float, d: float) -> float:
    return n / d if d else float("nan")


def _score(name: str, readings: list[Reading]) -> Score:
    plain = [r for r in readings if not r.injected]
    twins = [r for r in readings if r.injected]
    hit = sum(len(r.found & r.expected) for r in plain)
    precision = _share(hit, sum(len(r.found) for r in plain))
    recall = _share(hit, sum(len(r.expected) for r in plain))
    f1 = _share(2 * precision * recall, precision + recall)
    agency, year, template = (_share(sum(r.metadata[i] for r in plain), len(plain)) for i in range(3))
    return Score(name, len(plain), sum(bool(r.error) for r in plain), precision, recall, f1, agency, year, template,
                 len(twins), _share(sum(r.failed_error and not r.error for r in twins), len(twins)),
                 sum(r.failed_error for r in plain),
                 sum(1 for r in plain for c in r.found - r.expected if c[0] == "legacy" and c[1] in REQUEST_MEASURES))


def markdown(scores: Sequence[Score]) -> str:
    """The two tables of the README: cells and metadata, then the checks against injected inconsistencies."""
    lines = ["| rendering | documents | unreadable | cell precision | cell recall | cell F1 "
             "| agency | year | template |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {s.rendering} | {s.documents} | {s.unreadable} | {s.precision:.4f} | {s.recall:.4f} | {s.f1:.4f} "
              f"| {s.agency:.1%} | {s.year:.1%} | {s.template:.1%} |" for s in scores]
    lines += ["", "| rendering | injected inconsistencies | share that fail a check "
              "| consistent documents failing a check | false prose readings |",
              "| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {s.rendering} | {s.injected} | {s.caught:.1%} | {s.false_alarms} of {s.documents} | {s.false_prose} |"
              for s in scores]
    return "\n".join(lines).replace("%", " %")

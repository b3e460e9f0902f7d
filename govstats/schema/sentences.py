"""The sentences that state a legacy report's figures (`data/prose_patterns.csv`), and the crosswalk of its indicators.

Reports before 2019 often print no table and state their figures in sentences
(共受理政府信息公开申请N件，其中同意公开N件…). Each line of the data is one regular expression
on normalised text (`govstats.normalize.normalize_text`: NFKC, so ，：；（ are , : ; ( ) with the
named group `n` for the number (or a fixed `value`, for 未收到… = 0) and, where the sentence
names what is counted (a publisher, a category), the group `subject`; beside it a real example
and where it is printed. A pattern ties a number to its measure by the words around it and
the unit after it, so a date, a document number (〔2013〕5号), an article (第十三条) or a count of
another measure (依申请公开信息N条: items, not requests) is never read as a request count.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class SentencePattern:
    """One way a sentence states a figure: the key it states, the column it fills, and a real example."""

    key: str
    column: str  # "value" (the year's figure) or "share" (a per-cent share)
    pattern: str  # regex on normalised text: group `n` the number, optional group `subject`
    value: float | None  # the figure a pattern without group `n` states (未收到… → 0)
    example: str
    source: str  # the file the example is printed in ("" if no report in the corpus prints it)
    note: str


@cache
def legacy_sentences() -> tuple[SentencePattern, ...]:
    """The sentence patterns of the legacy (pre-2019) reports, in file order (earlier lines read first)."""
    text = resources.files(__package__).joinpath("data", "prose_patterns.csv").read_text(encoding="utf-8")
    return tuple(SentencePattern(**{**line, "value": float(line["value"]) if line["value"] else None})  # type: ignore[arg-type]
                 for line in csv.DictReader(text.splitlines()))


@dataclass(frozen=True)
class Crosswalk:
    """One legacy indicator and the harmonised measure it counts ("" where it maps to none), with the difference."""

    legacy: str  # a key of the legacy table
    measure: str  # the harmonised measure, "" where the indicator has no 2019+ counterpart
    national: tuple[tuple[str, str, str], ...]  # the (table, row, column) cells of 2019+ reports the measure sums
    difference: str  # how the definitions differ, in words


@cache
def legacy_crosswalk() -> tuple[Crosswalk, ...]:
    """The crosswalk from the legacy indicators to the harmonised measures (`data/legacy_crosswalk.csv`)."""
    text = resources.files(__package__).joinpath("data", "legacy_crosswalk.csv").read_text(encoding="utf-8")
    return tuple(Crosswalk(line["legacy"], line["measure"],
                           tuple(tuple(t.split(".")) for t in line["national"].split("+") if t),
                           line["difference"])
                 for line in csv.DictReader(text.splitlines()))

"""Figures stated in sentences: which measure a number counts, told by the words around it.

`statements(text, patterns)` reads every sentence of a text with sentence patterns (see
`govstats.schema.sentences`) and returns what they state: key, value, the sentence as printed
and the span of the matched words in `text`. Patterns apply to the normalised text
(NFKC, simplified) while spans and sentences refer to the text as given, so a caller can show
or compare exactly what was printed. A number is read once: the first pattern (in order) that
covers it takes it, so a specific pattern (依申请公开信息N条, items) listed before a loose one keeps
its number from being read as something else. Nothing here knows a table: the parser fills the
legacy table from these statements, and the narrative checks compare them with 2019+ tables.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..normalize import normalize_text
from ..schema.sentences import SentencePattern

_SENTENCE_END = re.compile(r"[。;!?！？；\n]")


@dataclass(frozen=True, slots=True)
class Statement:
    """One figure a sentence states."""

    key: str
    column: str
    value: float
    sentence: str  # the whole sentence, as printed
    span: tuple[int, int]  # the matched words, [start, end) in the text given
    subject: str = ""  # what the sentence names as counted (a publisher, a category), normalised


@functools.lru_cache(maxsize=4096)
def _char(ch: str) -> str:
    return normalize_text(ch)


def _normalised(text: str) -> tuple[str, list[int]]:
    """The text normalised character by character, and for each normalised character its index in `text`."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        n = ch if ch.isascii() else _char(ch)
        out.append(n)
        where.extend([i] * len(n))
    where.append(len(text))
    return "".join(out), where


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _sentences(norm: str) -> Iterable[tuple[int, int]]:
    start = 0
    for m in _SENTENCE_END.finditer(norm):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(norm):
        yield start, len(norm)


def statements(text: str, patterns: Iterable[SentencePattern]) -> list[Statement]:
    """Every figure the sentences of `text` state, in text order (sentence, then position in it)."""
    patterns = tuple(patterns)
    norm, where = _normalised(text)
    out: list[tuple[int, int, Statement]] = []
    for s0, s1 in _sentences(norm):
        sentence = norm[s0:s1]
        if not any(ch.isdigit() for ch in sentence) and "未" not in sentence:
            continue
        taken: set[int] = set()  # positions of numbers (or whole zero statements) already read
        printed = text[where[s0]:where[s1]].strip()
        for order, p in enumerate(patterns):
            for m in _compiled(p.pattern).finditer(sentence):
                at = m.span("n") if "n" in m.re.groupindex else m.span()
                if at[0] in taken:
                    continue
                value = float(m.group("n")) if "n" in m.re.groupindex else p.value
                if value is None:
                    continue
                taken.add(at[0])
                subject = m.group("subject") if "subject" in m.re.groupindex else ""
                span = (where[s0 + m.start()], where[s0 + m.end()])
                out.append((s0 + at[0], order, Statement(p.key, p.column, value, printed, span, subject or "")))
    return [s for _, _, s in sorted(out, key=lambda t: (t[0], t[1]))]

"""Agency, covered year and template of a report, from its own text.

The year is the year the report covers (title, statistical period), never the
publication date or a document number. The agency is taken only where the document
prints it; a report that only says 我局 gets None, never a guess.
"""

from __future__ import annotations

import re
from collections import Counter

from .. import schema
from ..documents.model import Document
from ..normalize import normalize_label, normalize_text, remove_marks, to_simplified

_TITLE_YEAR = re.compile(schema.TITLE_YEAR)
_YEAR_BOOK = re.compile(schema.YEAR_BOOK)
_PERIOD = re.compile(schema.STATISTICAL_PERIOD)
_YEAR_MENTION = re.compile(schema.YEAR_MENTION)
_TITLE = re.compile(schema.TITLE_WORDS)
_YEAR_BOOK_NAME = re.compile(schema.YEAR_BOOK_NAME)
_TRAILING_YEAR = re.compile(schema.TRAILING_YEAR)
_CUT = re.compile(r".*[,，。;；:：》《、)）\]】」\s]")
_AGENCY_SUFFIX = re.compile(schema.AGENCY_SUFFIX)
_PRONOUN = re.compile(schema.PRONOUNS)
_NOISE = re.compile(schema.AGENCY_NOISE_PREFIX)
_NOT_A_NAME = re.compile(schema.NOT_AN_AGENCY)
_DATE_LINE = re.compile(schema.DATE_LINE)
HEAD_LINES = 40


def _title_lines(doc: Document) -> list[str]:
    lines = [doc.meta.get(k, "") for k in ("ArticleTitle", "Title", "og:title")]
    if doc.title:
        lines.extend(re.split(r"[_|]| - ", doc.title))
    lines.extend(doc.text.splitlines()[:HEAD_LINES])
    return [ln.strip() for ln in lines if ln and ln.strip()]


def find_year(doc: Document) -> int | None:
    """The covered year: title line, then statistical period, then the most cited year."""
    lines = [normalize_text(ln) for ln in _title_lines(doc)]
    for rx in (_TITLE_YEAR, _YEAR_BOOK):
        for line in lines:
            m = rx.search(line)
            if m:
                return int(m.group(1))
    text = normalize_text(doc.text)
    m = _PERIOD.search(text)
    if m:
        return int(m.group(1))
    mentions = [int(y) for y in _YEAR_MENTION.findall(text)]
    if not mentions:
        return None
    # Most cited; on a tie the earliest-cited (the report's own year comes first).
    counts = Counter(mentions)
    return max(counts, key=lambda y: (counts[y], -mentions.index(y)))


def _valid(name: str) -> bool:
    return (
        2 <= len(name) <= 40
        and not _PRONOUN.match(name)
        and bool(_AGENCY_SUFFIX.search(name))
        and not _NOT_A_NAME.search(name)
    )


def _clean(name: str) -> str:
    name = _TRAILING_YEAR.sub("", name)
    m = _CUT.match(name)
    if m:
        name = name[m.end():]
    return _NOISE.sub("", name).strip(" \t-—_·•")


def _from_titles(lines: list[str]) -> str | None:
    for k, line in enumerate(lines):
        simple = to_simplified(line)
        m = _YEAR_BOOK_NAME.search(simple)
        if m and _valid(m.group("name")):
            return line[m.start("name"):m.end("name")]
        m = _TITLE.search(simple)
        if not m:
            continue
        cleaned = _clean(simple[: m.start()])
        if not cleaned and k > 0 and len(lines[k - 1]) <= 40:
            cleaned, line = _clean(to_simplified(lines[k - 1])), lines[k - 1]
        if _valid(cleaned):
            start = to_simplified(line).rfind(cleaned)
            return line[start:start + len(cleaned)] if start >= 0 else cleaned
    return None


def _from_prose(text: str) -> str | None:
    simple = to_simplified(text)
    for pattern in schema.AGENCY_PROSE_PATTERNS:
        for m in re.finditer(pattern, simple):
            name = _NOISE.sub("", m.group("name").strip())
            name = re.sub(schema.SUB_OFFICE_SUFFIX, "", name)
            if pattern == schema.AGENCY_CONTACT_PATTERN:
                name = re.sub(schema.CONTACT_OFFICE_SUFFIX, "", name)
            if _valid(name):
                start = m.start("name") + m.group("name").find(name)
                return text[start:start + len(name)]
    return None


def _from_signature(text: str) -> str | None:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][-15:]
    for k, line in enumerate(lines[:-1]):
        if len(line) <= 30 and _valid(to_simplified(line)) and any(_DATE_LINE.match(x) for x in lines[k + 1:k + 3]):
            return line
    return None


def find_agency(doc: Document) -> str | None:
    """The publishing body as printed (less invisible marks): title, prose (编制/联系), then the signature."""
    text = remove_marks(doc.text)
    return _from_titles([remove_marks(ln) for ln in _title_lines(doc)]) or _from_prose(text) or _from_signature(text)


def find_template(doc: Document, year: int | None) -> str:
    """2021 or 2019 from the table structure; by year (or legacy wording) when none is printed."""
    labels = normalize_label(" ".join(c.text for c in doc.cells))
    scores = {t: sum(1 for p in marks if re.search(p, labels)) for t, marks in schema.TEMPLATE_MARKERS.items()}
    if scores["2021"] != scores["2019"]:
        return max(scores, key=scores.__getitem__)
    text = doc.label_text
    if year is not None and year < 2019:
        return "legacy"
    if not re.search(schema.MODERN_MARKER, text) and re.search(schema.LEGACY_MARKER, text):
        return "legacy"
    if year is None:
        return "legacy"
    return "2021" if year >= 2021 else "2019"

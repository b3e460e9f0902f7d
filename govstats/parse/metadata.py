"""Agency, covered year and template of a report, from its own text.

The year is the year the report covers (title, statistical period), never the
publication date or a document number. The agency is taken only where the document
prints it; a report that only says 我局 gets None, never a guess.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from .. import schema
from ..documents.model import Document
from ..limits import LIMITS
from ..normalize import normalize_label, normalize_text, remove_marks, to_simplified
from ..schema.metadata import LEADING_YEAR, ZONE_BODY_SUFFIX

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
_LEADING_YEAR = re.compile(LEADING_YEAR)
_ZONE_BODY = re.compile(ZONE_BODY_SUFFIX)
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff\d()（）])[ \t\u3000]+(?=[\u3400-\u9fff\d()（）])")
_PAREN = re.compile(r"[(（][^()（）]{1,12}[)）]")
HEAD_LINES = 40
_SHORT_LINE = 40  # a line of a title split over lines; a longer one is prose


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


def _canonical(name: str) -> str:
    """The body's name, simplified, with nothing of the sentence around it: no year, verb or site."""
    name = _LEADING_YEAR.sub("", _NOISE.sub("", _TRAILING_YEAR.sub("", name).strip()))
    return _ZONE_BODY.sub("", name.strip(" \t-—_·•"))


def _joined(line: str) -> str:
    """The line simplified, without the spaces PDFs and layout text put between characters ('淮 安 市')."""
    return _CJK_GAP.sub("", to_simplified(line))


def _title_spans(lines: list[str]) -> Iterator[str]:
    """The text before the title words, in each line and in each title split over two or three lines."""
    for k in range(len(lines)):
        for width in (1, 2, 3):  # '某某县人民政府' / '2023年度' / '政府信息公开工作年度报告'
            if k + 1 < width or (width > 1 and any(len(x) > _SHORT_LINE for x in lines[k + 1 - width:k + 1])):
                continue
            text = "".join(_joined(x) for x in lines[k + 1 - width:k + 1])
            m = _TITLE.search(text)
            if m:
                yield text[: m.start()]


def _from_titles(lines: list[str]) -> str | None:
    for line in lines:
        m = _YEAR_BOOK_NAME.search(to_simplified(line))
        if m and _valid(m.group("name")):
            return _canonical(m.group("name"))
    for before in _title_spans(lines):
        # the title starts after the sentence before it; a parenthetical inside a name ('(汉南区)') is no cut
        cut = _CUT.match(_PAREN.sub(lambda m: "#" * len(m.group(0)), _TRAILING_YEAR.sub("", before)))
        name = _canonical(before[cut.end():] if cut else before)
        if _valid(name):
            return name
    return None


def _from_prose(text: str) -> str | None:
    simple = to_simplified(text)
    for pattern in schema.AGENCY_PROSE_PATTERNS:
        for m in re.finditer(pattern, simple):
            name = _NOISE.sub("", m.group("name").strip())
            name = re.sub(schema.SUB_OFFICE_SUFFIX, "", name)
            if pattern == schema.AGENCY_CONTACT_PATTERN:
                name = re.sub(schema.CONTACT_OFFICE_SUFFIX, "", name)
            name = _canonical(name)
            if _valid(name):
                return name
    return None


def _from_signature(text: str) -> str | None:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][-15:]
    for k, line in enumerate(lines[:-1]):
        name = _canonical(_joined(line))
        if len(line) <= 30 and _valid(name) and any(_DATE_LINE.match(x) for x in lines[k + 1:k + 3]):
            return name
    return None


def find_agency(doc: Document) -> str | None:
    """The publishing body as printed, simplified: title, prose (编制/汇总/联系), then the signature."""
    text = remove_marks(doc.text)
    return _from_titles([remove_marks(ln) for ln in _title_lines(doc)]) or _from_prose(text) or _from_signature(text)


def find_template(doc: Document, year: int | None) -> str:
    """2021 or 2019 from the table structure; by year (or legacy wording) when none is printed.

    A report for a year before 2019 is legacy whatever its prose cites: the national tables
    date from 国办公开办函〔2019〕60号. Markers count only in cells a table label may be, so
    a sentence quoting '本年新制作数量' does not make a table.
    """
    if year is not None and year < 2019:
        return "legacy"
    labels = normalize_label(" ".join(c.text for c in doc.cells if _label_like(c.text)))
    scores = {t: sum(1 for p in marks if re.search(p, labels)) for t, marks in schema.TEMPLATE_MARKERS.items()}
    if scores["2021"] != scores["2019"]:
        return max(scores, key=scores.__getitem__)
    text = doc.label_text
    if not re.search(schema.MODERN_MARKER, text) and re.search(schema.LEGACY_MARKER, text):
        return "legacy"
    if year is None:
        return "legacy"
    return "2021" if year >= 2021 else "2019"


def _label_like(text: str) -> bool:
    """A cell a table header may be: short, no sentence."""
    return len(text) <= LIMITS.max_label_chars and "。" not in text

"""Text normalisation and number reading, shared by every reader and the parser.

One normalisation for all formats means a quirk (full-width digits, traditional
characters, zero-width spaces, a label broken by a line break) is handled once.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]+")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")


@functools.cache
def _ts_table() -> dict[int, str]:
    """Traditional→simplified, one character to one character (keeps text positions)."""
    text = resources.files("opencc").joinpath("dictionary/TSCharacters.txt").read_text("utf-8")
    table: dict[int, str] = {}
    for line in text.splitlines():
        src, _, dst = line.partition("\t")
        first = dst.split(" ")[0]
        if len(src) == 1 and len(first) == 1:
            table[ord(src)] = first
    return table


def to_simplified(text: str) -> str:
    """Map traditional characters to simplified ones, character for character."""
    return text.translate(_ts_table())


def normalize_text(text: str) -> str:
    """NFKC + simplified characters, white space kept: for prose and metadata."""
    return to_simplified(unicodedata.normalize("NFKC", text))


@functools.lru_cache(maxsize=65536)
def normalize_label(text: str) -> str:
    """The form labels are matched in: NFKC, simplified, no white space, no quotes.

    Idempotent: normalize_label(normalize_label(x)) == normalize_label(x).
    """
    out = _INVISIBLE.sub("", normalize_text(text)).translate(_QUOTES)
    return unicodedata.normalize("NFKC", out)


# Cells that mean "nothing to report": read as 0, with a flag.
BLANK_MARKS = frozenset({"", "-", "--", "—", "——", "–", "―", "/", "\\", "无", "不适用", "空", "─", "-/-"})
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_UNIT_SUFFIX = re.compile(r"(?:件|条|个|项|份|宗|次|人次|万元|元)$")
_PAGE_MARK = re.compile(r"^(?:[-—–]\d+[-—–]|第\d+页(?:共\d+页)?|p\.?\d+|page\d+|\d+/\d+)$", re.I)


@dataclass(frozen=True, slots=True)
class Reading:
    """What a cell says: a number, a blank meaning zero, or something unreadable."""

    kind: str  # "number" | "blank" | "text"
    value: float | None = None


def read_number(text: str) -> Reading:
    """Read a printed table value.

    Accepts full-width digits, thousands separators, explicit signs ('+1036') and a
    trailing unit (件, 万元). Blank marks read as a blank (0 with a flag upstream).
    """
    s = normalize_label(text)
    if s in BLANK_MARKS:
        return Reading("blank", 0.0)
    s = _UNIT_SUFFIX.sub("", s)
    if _NUMBER.match(s):
        return Reading("number", float(s.replace(",", "")))
    return Reading("text")


def is_page_mark(text: str) -> bool:
    """Page numbers and footers such as '-3-', '第3页', 'P. 9' are not table cells."""
    return bool(_PAGE_MARK.match(normalize_label(text)))

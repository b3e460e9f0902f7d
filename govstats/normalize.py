"""Text normalisation and number reading, shared by every reader and the parser.

One normalisation for all formats means a quirk (full-width digits, traditional
characters, zero-width spaces, a label broken by a line break) is handled once.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

# zero-width characters, bidi embeddings and isolates, word joiners, BOM, soft hyphen: never printed
_MARKS = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad"
_FORMAT_MARKS = re.compile(f"[{_MARKS}]+")
_INVISIBLE = re.compile(f"[\\s{_MARKS}]+")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")


@functools.cache
def _ts_table() -> dict[int, str]:
    """Traditional→simplified, one character to one character (keeps text positions).

    Also compatibility ideographs → unified ones (Kangxi radicals such as ⼈ for 人 fill the
    text layers of many PDFs) and full-width digits and letters → ASCII, so names and years
    are found in text that NFKC was not applied to. Full-width punctuation is kept.
    """
    text = resources.files("opencc").joinpath("dictionary/TSCharacters.txt").read_text("utf-8")
    table: dict[int, str] = {}
    for line in text.splitlines():
        src, _, dst = line.partition("\t")
        first = dst.split(" ")[0]
        if len(src) == 1 and len(first) == 1:
            table[ord(src)] = first
    for lo, hi in ((0x2E80, 0x2FE0), (0x3190, 0x31A0), (0xF900, 0xFB00), (0x2F800, 0x2FA20), (0xFF10, 0xFF1A),
                   (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)):
        for cp in range(lo, hi):
            unified = unicodedata.normalize("NFKC", chr(cp))
            if len(unified) == 1 and unified != chr(cp):
                table[cp] = table.get(ord(unified), unified)
    return table


def to_simplified(text: str) -> str:
    """Map traditional characters (and compatibility ideographs) to simplified ones, character for character."""
    return text.translate(_ts_table())


def remove_marks(text: str) -> str:
    """The text without the invisible format marks (zero-width, bidi) that split words unseen."""
    return _FORMAT_MARKS.sub("", text)


def normalize_text(text: str) -> str:
    """NFKC + simplified characters, no invisible marks, white space kept: for prose and metadata."""
    return to_simplified(unicodedata.normalize("NFKC", remove_marks(text)))


CACHED_LABEL_CHARS = 200  # cells repeat across reports; whole documents do not and would fill the cache


def normalize_label(text: str) -> str:
    """The form labels are matched in: NFKC, simplified, no white space, no quotes.

    Idempotent: normalize_label(normalize_label(x)) == normalize_label(x).
    """
    return _label_cached(text) if len(text) <= CACHED_LABEL_CHARS else _label(text)


def _label(text: str) -> str:
    out = _INVISIBLE.sub("", normalize_text(text)).translate(_QUOTES)
    return unicodedata.normalize("NFKC", out)


_label_cached = functools.lru_cache(maxsize=65536)(_label)


# Cells that mean "nothing to report": read as 0, with a flag.
# Dashes include the minus sign and the Unicode hyphens NFKC keeps ('−', '‐'): Word and PDF print them for '-'.
BLANK_MARKS = frozenset({"", "-", "--", "—", "——", "–", "―", "/", "\\", "无", "不适用", "空", "─", "-/-",
                         "−", "−−", "‐", "‒", "⁃", "﹘"})
# Units printed after a number ('3件', '96171.6万元'); longer ones first, so '人次' is not read as '次'.
UNITS = "人次|万元|件|条|个|份|项|宗|篇|次|元"
# Page numbers and footers: '-3-', '第3页共6页', 'P. 9', '3/6'.
PAGE_MARK = r"^(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|p\.?\s*\d+|page\s*\d+|\d+/\d+)$"

CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_UNIT_SUFFIX = re.compile(f"(?:{UNITS})$")
# Money units a cell may print after its number, in yuan: the column's unit decides the value.
MONEY_UNITS = {"元": 1, "万元": 10_000}
_PAGE_MARK = re.compile(PAGE_MARK, re.I)


@dataclass(frozen=True, slots=True)
class Reading:
    """What a cell says: a number, a blank meaning zero, or something unreadable."""

    kind: str  # "number" | "blank" | "text"
    value: float | None = None
    unit: str = ""  # the unit printed after the number ('万元' in '6,842.29万元')


def read_number(text: str) -> Reading:
    """Read a printed table value.

    Accepts full-width digits, thousands separators, explicit signs ('+1036') and a
    trailing unit (件, 万元). Blank marks read as a blank (0 with a flag upstream).
    """
    s = normalize_label(text)
    if s in BLANK_MARKS:
        return Reading("blank", 0.0)
    # the number as printed, less compatibility forms and invisible marks: white space and quotes
    # inside it stay, so '3 4', '340\n27' and "65'115" are not read as one number
    s = normalize_text(text).strip()
    unit = _UNIT_SUFFIX.search(s)
    s = s[: unit.start()].rstrip() if unit else s
    if not _NUMBER.match(s):
        return Reading("text")
    value = float(s.replace(",", ""))
    if not math.isfinite(value):  # beyond float range
        return Reading("text")
    return Reading("number", value, unit.group(0) if unit else "")


def in_unit(reading: Reading, unit: str) -> float | None:
    """The value of a cell that prints its own money unit, in the column's `unit`; None if it prints none.

    '6,842.29万元' in a column of 元 is 68,422,900 元, whatever the header said: the cell's
    own unit is the nearer statement. A count unit ('3件') or a non-money column changes nothing.
    """
    if reading.value is None or reading.unit not in MONEY_UNITS or unit not in MONEY_UNITS:
        return None
    exact = Decimal(repr(reading.value)) * Decimal(MONEY_UNITS[reading.unit]) / Decimal(MONEY_UNITS[unit])
    return float(exact)  # in decimals, so 6842.29 万元 is 68422900 元 exactly


def is_page_mark(text: str) -> bool:
    """Page numbers and footers such as '-3-', '第3页', 'P. 9' are not table cells."""
    return bool(_PAGE_MARK.match(normalize_text(text).strip()))  # '8 / 4' is two values, not page 8/4

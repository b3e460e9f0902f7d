"""Mutations: (seeds, run seed, case index) in, one reproducible `Case` out.

A case is the file's bytes plus what the oracle may demand of the result: the value
cell whose number was replaced (`target`, `original`), whether the mutation must break
the report's own arithmetic (`broken`), or whether it only added marks that
normalisation removes (`same_as`: the values must equal the seed's).
"""

from __future__ import annotations

import functools
import io
import random
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from govstats.testing.synthetic import Key

from .seeds import PLACEHOLDER, Seed, rezip

SUFFIXES = (".html", ".htm", ".txt", ".pdf", ".docx", ".doc", ".wps", ".xlsx", ".xls", "")
FORMAT_WEIGHTS = {"html": 20, "txt": 22, "docx": 16, "xlsx": 16, "xls": 10, "pdf": 14, "doc": 1, "rtf": 1}
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064" \
            "\u2066\u2067\u2068\u2069\ufeff\u00ad"
# label text: a run with at least one CJK character (value cells are digits only)
_LABEL = re.compile(r"[0-9.（）()、\u3000-\u303f\uff00-\uffef]*[\u4e00-\u9fff][0-9.（）()、\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]*")
_ROWS = {"html": r"<tr>.*?</tr>\n?", "docx": r"<w:tr\b[^>]*>.*?</w:tr>", "xlsx": r"<row [^>]*>.*?</row>", "txt": r"[^\n]*\n"}
# a cell as (kept head, movable body): swaps move bodies, so spreadsheet cells keep their addresses
_CELLS = {"html": r"(<td)([^>]*>.*?</td>)", "docx": r"(<w:tc>)(.*?</w:tc>)", "xlsx": r'(<c r="[A-Z]+\d+")(.*?(?:/>|</c>))',
          "txt": r"()([^\n]*\n)"}
_WORDS = ["abc", "NaN", "nan", "-NaN", "inf", "-inf", "+Infinity", "1e5", "1E+400", "0x1F", "12.3.4", "1,2,3", "--5",
          "+-3", "５千", "一百", "伍拾", "N/A", "#DIV/0!", "—1", "1—", "…", "※", "约10", "10余", "<1", "1/2", "½", "TRUE",
          "null", "None", "3 4", "7\n8", "1 000", "0.5.", "∞", "十", "见附件", "不详"]
_DIGIT_SETS = ["٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९", "０１２３４５６７８９", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"]
_RANDOM_CHARS = "\u0301\u0332\u05d0\u0627\u202e\u2028\u3000\xa0\ufffd\ue000\u00ad\U0001f600\x0b\x1f\x00<>&\"'" \
                "\u00c5\u212b\u2126\u03a9\uff5e\u301c\u2014\u2015"


@dataclass
class Case:
    """One fuzz input and the oracle's expectations of it."""

    index: int
    seed: str
    mutation: str
    suffix: str
    data: bytes = b""
    size: int = 0  # the file's size when larger than data: the rest is a sparse run of zeros
    target: Key | None = None
    original: float | None = None
    broken: bool = False
    same_as: str | None = None

    def write(self, path: Path) -> Path:
        with open(path, "wb") as f:
            f.write(self.data)
            if self.size > len(self.data):
                f.truncate(self.size)
        return path


Fields = dict[str, object]


@functools.cache
def compat_forms() -> dict[str, str]:
    """Character → the compatibility forms that print it: full-width forms, radicals, compatibility ideographs.

    (Not superscripts or circled digits: those print a different symbol.)
    """
    forms: dict[str, str] = {}
    for lo, hi in ((0x2E80, 0x2FE0), (0x3190, 0x31A0), (0xF900, 0xFB00), (0xFF01, 0xFF5F), (0x2F800, 0x2FA20)):
        for ch in map(chr, range(lo, hi)):
            norm = unicodedata.normalize("NFKC", ch)
            if len(norm) == 1 and norm != ch:
                forms[norm] = forms.get(norm, "") + ch
    return forms


# ------------------------------------------------------------------ bytes (any seed)
def truncate(rng: random.Random, seed: Seed) -> Fields:
    data = seed.data
    return {"data": data[: rng.randrange(len(data))]}


def flip(rng: random.Random, seed: Seed) -> Fields:
    data = bytearray(seed.data)
    for _ in range(rng.choice([1, 1, 2, 3, 8, 32, 256])):
        data[rng.randrange(len(data))] ^= rng.randrange(1, 256)
    return {"data": bytes(data)}


def splice(rng: random.Random, seed: Seed) -> Fields:
    """Delete, duplicate or insert a chunk of bytes."""
    data = seed.data
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.choice([1, 16, 512, 8192]))
    op = rng.choice(["delete", "duplicate", "insert"])
    middle = {"delete": b"", "duplicate": data[a:b] * 2, "insert": data[a:b] + rng.randbytes(b - a)}[op]
    return {"data": data[:a] + middle + data[b:]}


def wrong_extension(rng: random.Random, seed: Seed) -> Fields:
    return {"data": seed.data, "suffix": rng.choice([s for s in SUFFIXES if s != "." + seed.fmt])}


# ------------------------------------------------------------------ value cells (seeds with placeholders)
def _unique_slots(seed: Seed) -> list[str]:
    counts = Counter(s.value for s in seed.slots.values())
    return [ph for ph, s in seed.slots.items() if s.value and counts[s.value] == 1 and not 1900 < s.value < 2100]


def _replacement(rng: random.Random, original: float) -> str:
    """Text for a value cell that does not read as `original`: words, huge, negative, other numbers."""
    kind = rng.choice(["word", "huge", "negative", "other", "digits", "separators"])
    if kind == "word":
        return rng.choice(_WORDS)
    if kind == "huge":
        return rng.choice(["9" * rng.randint(16, 400), "1" + "0" * rng.choice([308, 309, 400]), "1" * 20 + ".5"])
    n = int(original) + rng.choice([1, -1, 7, 1000, -10**6])
    if kind == "negative":
        return f"-{abs(n) or 1}"
    if kind == "digits":
        return str(abs(n)).translate(str.maketrans("0123456789", rng.choice(_DIGIT_SETS)))
    return f"{n:,}" if kind == "separators" else str(n)


def replace_number(rng: random.Random, seed: Seed) -> Fields:
    """One value cell's number replaced: that key must not come out as the old number."""
    ph = rng.choice(_unique_slots(seed))
    slot = seed.slots[ph]
    text = _replacement(rng, slot.value)
    # every requests and review cell is in a sum rule, so a changed number must fail one
    return {"data": seed.pack(seed.parts, {ph: text}), "target": slot.key, "original": slot.value,
            "broken": slot.key[0] in ("requests", "review")}


def _label_positions(text: str) -> list[int]:
    return [m.start() + k for m in _LABEL.finditer(text) for k in range(len(m.group()))]


def _edit_labels(rng: random.Random, seed: Seed, edit: Callable[[str], str]) -> dict[str, str]:
    """Parts with `edit` applied to a few random characters of label text."""
    parts = dict(seed.parts)
    name = rng.choice(sorted(parts))
    text = parts[name]
    positions = _label_positions(text)
    chosen = sorted(rng.sample(positions, min(len(positions), rng.choice([1, 5, 50, 500]))), reverse=True)
    chars = list(text)
    for i in chosen:
        chars[i] = edit(chars[i])
    parts[name] = "".join(chars)
    return parts


def invisible_labels(rng: random.Random, seed: Seed) -> Fields:
    """Zero-width, bidi and soft-hyphen marks in labels, or compatibility forms of their characters.

    Normalisation removes both, so the report must read exactly as the seed.
    """
    forms = compat_forms()

    def edit(ch: str) -> str:
        if ch in forms and rng.random() < 0.5:
            return rng.choice(forms[ch])
        return ch + "".join(rng.choice(INVISIBLE) for _ in range(rng.randint(1, 3)))

    return {"data": seed.pack(_edit_labels(rng, seed, edit)), "same_as": seed.name}


def unicode_labels(rng: random.Random, seed: Seed) -> Fields:
    """Random characters (combining marks, RTL letters, controls, emoji, markup) in labels."""
    return {"data": seed.pack(_edit_labels(rng, seed, lambda ch: ch + rng.choice(_RANDOM_CHARS)))}


def _broken_by_loss(seed: Seed, lost: set[str], rows: bool) -> bool:
    """Whether losing these value cells must fail a check: a non-zero request value, or (`rows`: the
    label went too) every value of a row. A lost cell in a grid is an empty cell, which reads as blank."""
    slots = [seed.slots[p] for p in lost if p in seed.slots]
    if any(s.key[0] == "requests" and s.value for s in slots):
        return True
    keys = {s.key for s in slots}
    for table, row in {(k[0], k[1]) for k in keys} if rows else ():
        whole = {s.key for s in seed.slots.values() if s.key[0] == table and (table == "review" or s.key[1] == row)}
        if whole <= keys:
            return True
    return False


def _swap(text: str, a: re.Match[str], b: re.Match[str]) -> str:
    """text with the bodies (group 2) of two cell matches exchanged, a before b."""
    return text[: a.start(2)] + b.group(2) + text[a.end(2): b.start(2)] + a.group(2) + text[b.end(2):]


def _swap_in_row(row: str, fmt: str, i: int, j: int) -> str:
    cells = list(re.finditer(_CELLS[fmt], row, re.DOTALL))
    return _swap(row, cells[i], cells[j]) if len(cells) > j else row


def structure(rng: random.Random, seed: Seed) -> Fields:
    """Rows and cells deleted, duplicated or swapped; columns swapped; a run of rows shuffled."""
    parts = dict(seed.parts)
    name = rng.choice(sorted(parts))
    text, fmt = parts[name], seed.fmt
    rows = list(re.finditer(_ROWS[fmt], text, re.DOTALL))
    cells = list(re.finditer(_CELLS[fmt], text, re.DOTALL))  # in text, a line is both a row and a cell
    op = rng.choice(["delete_row", "duplicate_row", "swap_rows", "shuffle_rows", "delete_cell", "duplicate_cell",
                     "swap_cells"] + (["swap_columns"] if fmt != "txt" else []))
    lost = ""
    if op in ("delete_row", "delete_cell", "duplicate_row", "duplicate_cell"):
        m = rng.choice(rows if op.endswith("row") else cells)
        if op.startswith("delete"):
            lost, text = m.group(), text[: m.start()] + text[m.end():]
        else:
            text = text[: m.end()] + m.group() + text[m.end():]
    elif op == "swap_cells":
        a, b = sorted(rng.sample(cells, 2), key=lambda m: m.start())
        text = _swap(text, a, b)
    elif op == "swap_columns":
        i, j = sorted(rng.sample(range(8), 2))
        text = re.sub(_ROWS[fmt], lambda row: _swap_in_row(row.group(), fmt, i, j), text, flags=re.DOTALL)
    else:  # a run of adjacent rows, reversed (swap_rows: two) or shuffled
        k = rng.randrange(len(rows))
        window = rows[k: k + (2 if op == "swap_rows" else rng.randint(2, 12))]
        bodies = [m.group() for m in window]
        rng.shuffle(bodies) if op == "shuffle_rows" else bodies.reverse()
        out, at = [], 0
        for m, body in zip(window, bodies):
            out += [text[at: m.start()], body]
            at = m.end()
        text = "".join(out) + text[at:]
    parts[name] = text
    lost_slots = set(PLACEHOLDER.findall(lost))
    return {"data": seed.pack(parts), "mutation": f"structure.{op}",
            "broken": _broken_by_loss(seed, lost_slots, rows=op == "delete_row" or fmt == "txt")}


# ------------------------------------------------------------------ containers
def zip_member(rng: random.Random, seed: Seed) -> Fields:
    """One member of a DOCX/XLSX damaged (cut, flipped bytes) or dropped; the zip itself stays sound."""
    data = seed.data
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = [i.filename for i in zf.infolist()]
        name = rng.choice(names)
        body = zf.read(name)
    op = rng.choice(["cut", "flip", "drop", "empty"])
    if op == "drop":
        return {"data": rezip(data, {}, frozenset({name})), "mutation": f"zip_member.drop:{name}"}
    if op == "cut":
        body = body[: rng.randrange(len(body) or 1)]
    elif op == "flip" and body:
        body = bytearray(body)
        for _ in range(rng.choice([1, 4, 32])):
            body[rng.randrange(len(body))] ^= rng.randrange(1, 256)
        body = bytes(body)
    else:
        body = b""
    return {"data": rezip(data, {name: body}), "mutation": f"zip_member.{op}:{name}"}


def pdf_pages(rng: random.Random, seed: Seed) -> Fields:
    """Pages shuffled, dropped or duplicated."""
    from pypdf import PdfReader, PdfWriter

    pages = list(PdfReader(io.BytesIO(seed.data)).pages)
    order = list(range(len(pages)))
    op = rng.choice(["shuffle", "drop", "duplicate"])
    if op == "shuffle":
        rng.shuffle(order)
    elif op == "drop":
        order.pop(rng.randrange(len(order)))
    else:
        order.insert(rng.randrange(len(order)), rng.choice(order))
    writer = PdfWriter()
    for k in order:
        writer.add_page(pages[k])
    buf = io.BytesIO()
    writer.write(buf)
    return {"data": buf.getvalue(), "mutation": f"pdf_pages.{op}"}


Mutator = Callable[[random.Random, Seed], Fields]
MUTATORS: list[tuple[Mutator, int, Callable[[Seed], bool]]] = [
    (truncate, 10, lambda s: True),
    (flip, 10, lambda s: True),
    (splice, 6, lambda s: True),
    (wrong_extension, 4, lambda s: True),
    (replace_number, 14, lambda s: bool(s.slots)),
    (invisible_labels, 8, lambda s: bool(s.slots)),
    (unicode_labels, 5, lambda s: bool(s.slots)),
    (structure, 16, lambda s: bool(s.slots)),
    (zip_member, 8, lambda s: s.fmt in ("docx", "xlsx")),
    (pdf_pages, 8, lambda s: s.fmt == "pdf"),
]


def random_case(seeds: list[Seed], run_seed: int, index: int) -> Case:
    """Case `index` of run `run_seed`: a seed of a weighted format, then an applicable mutator."""
    rng = random.Random(f"{run_seed}:{index}")
    fmts = sorted({s.fmt for s in seeds})
    fmt = rng.choices(fmts, [FORMAT_WEIGHTS.get(f, 1) for f in fmts])[0]
    seed = rng.choice([s for s in seeds if s.fmt == fmt])
    usable = [(m, w) for m, w, ok in MUTATORS if ok(seed)]
    mutate = rng.choices([m for m, _ in usable], [w for _, w in usable])[0]
    fields = {"suffix": "." + seed.fmt, "mutation": mutate.__name__} | mutate(rng, seed)
    return Case(index, seed.name, **fields)  # type: ignore[arg-type]

"""Property tests for the pieces every format relies on."""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from govstats import schema
from govstats.documents import sniff
from govstats.documents.archive import check_zip
from govstats.documents.decode import decode_bytes
from govstats.documents.lines import split_line
from govstats.documents.model import Cell, expand_spans
from govstats.errors import DecodeError, GovstatsError
from govstats.limits import LIMITS
from govstats.normalize import BLANK_MARKS, normalize_label, read_number, to_simplified
from govstats.parse.tables import extract_tables

FULL_WIDTH = str.maketrans("0123456789+-,.", "０１２３４５６７８９＋－，．")


def _traditional() -> dict[int, str]:
    text = resources.files("opencc").joinpath("dictionary/STCharacters.txt").read_text("utf-8")
    return {ord(s): d.split(" ")[0][:1] for s, _, d in (ln.partition("\t") for ln in text.splitlines()) if len(s) == 1}


@given(st.integers(min_value=-10**9, max_value=10**12), st.booleans(), st.booleans(), st.booleans())
def test_numbers_read_in_every_printed_form(n, separators, full_width, plus):
    text = f"{n:,}" if separators else str(n)
    if plus and n >= 0:
        text = "+" + text
    if full_width:
        text = text.translate(FULL_WIDTH)
    reading = read_number(f"  {text}\u200b ")
    assert reading.kind == "number" and reading.value == n


@given(st.sampled_from(sorted(BLANK_MARKS)), st.text(alphabet=" \t\u3000\xa0", max_size=3))
def test_blank_marks_read_as_blank_zero(mark, pad):
    assert read_number(pad + mark + pad) == read_number("")
    assert read_number(mark).kind == "blank" and read_number(mark).value == 0


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_normalisation_is_idempotent(text):
    once = normalize_label(text)
    assert normalize_label(once) == once
    assert not any(ch.isspace() for ch in once)


@given(st.text(alphabet="政府信息公开申请規章報告處理複議訴訟數量 \u200b\u200e\u202e（）", max_size=30))
def test_invisible_marks_do_not_change_a_label(text):
    assert normalize_label(text) == normalize_label(text.replace("\u200b", "").replace("\u200e", ""))


def test_every_schema_label_matches_the_same_in_traditional_characters():
    table = _traditional()
    labels = [r.label for t in schema.TABLES for tpl in ("2019", "2021") for r in schema.rows_for(t, tpl)]
    for label in labels:
        assert normalize_label(label.translate(table)) == normalize_label(label), label


spans = st.lists(
    st.lists(st.tuples(st.integers(1, 4), st.integers(1, 4)), min_size=0, max_size=6), min_size=1, max_size=8
)


@settings(max_examples=300)
@given(spans)
def test_span_expansion_is_rectangular_with_every_cell_once(layout):
    rows = [[(f"{r}.{c}", rs, cs) for c, (rs, cs) in enumerate(row)] for r, row in enumerate(layout)]
    grid = expand_spans(rows, table=0)
    widths = {len(r) for r in grid}
    assert len(widths) == 1  # rectangular
    originals = [c.text for row in grid for c in row if not c.span_copy and c.text]
    assert sorted(originals) == sorted(t for row in rows for t, _, _ in row)
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            assert (cell.row, cell.col) == (r, c)


# ---------------------------------------------------------------- hostile input (see tests/fuzz/)
MARKS = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\u00ad"
digits = st.text(alphabet="0123456789", min_size=1, max_size=500)


@given(digits, st.sampled_from(["", ".5", ",000"]))
def test_a_number_is_finite_or_not_a_number(n, tail):
    reading = read_number(n + tail)
    assert reading.kind == "text" or math.isfinite(reading.value)


@given(digits, digits, st.text(alphabet=" \t\n\u3000\xa0", min_size=1, max_size=3))
def test_digits_apart_are_not_one_number(a, b, gap):
    assert read_number(a + gap + b).kind == "text"  # '3 4' is two numbers (or a broken cell), never 34


@given(st.sampled_from(["nan", "NaN", "inf", "-inf", "Infinity", "1e5", "0x1F", "1_000", "١e2", "∞", "65'115", "'1", "“12”"]))
def test_float_spellings_and_quoted_digits_are_not_numbers(text):
    assert read_number(text).kind == "text"


@given(st.lists(st.sampled_from([r.label for t in schema.TABLES for r in schema.rows_for(t, "2021")])), st.data())
def test_invisible_marks_anywhere_leave_a_label_as_it_was(labels, data):
    for label in labels:
        marked = "".join(ch + data.draw(st.text(alphabet=MARKS, max_size=2)) for ch in label)
        assert normalize_label(marked) == normalize_label(label)


@given(st.text(max_size=60))
def test_simplification_keeps_text_positions(text):
    assert len(to_simplified(text)) == len(text)  # metadata slices names out of the original by position


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_splitting_a_text_line_loses_and_invents_nothing(line):
    def squeeze(s: str) -> str:
        return "".join(s.split())

    assert squeeze("".join(split_line(line))) == squeeze(line.strip())


@settings(max_examples=200)
@given(st.lists(st.lists(st.tuples(st.integers(-5, 10**6), st.integers(-5, 10**6)), max_size=5), min_size=1, max_size=6))
def test_absurd_spans_stay_bounded(layout):
    rows = [[(f"{r}.{c}", rs, cs) for c, (rs, cs) in enumerate(row)] for r, row in enumerate(layout)]
    grid = expand_spans(rows, table=0)
    assert len(grid) == len(rows)
    assert len(grid[0]) <= LIMITS.max_colspan * max(1, sum(map(len, rows)))  # no span reaches beyond the clip


@given(st.binary(max_size=4096))
def test_any_bytes_sniff_and_decode_or_fail_clearly(data):
    assert sniff(data) in {None, "pdf", "docx", "xlsx", "xls", "doc", "rtf", "html", "txt", "encrypted"}
    try:
        assert isinstance(decode_bytes(data, Path("x.txt")), str)
    except DecodeError as err:
        assert str(err).startswith("x.txt: ")


@given(st.binary(max_size=2048))
def test_any_bytes_as_a_zip_fail_clearly(data):
    for body in (data, b"PK\x03\x04" + data):
        try:
            check_zip(Path("x.docx"), body)
        except GovstatsError as err:
            assert str(err).startswith("x.docx: ")


_CELL_TEXTS = st.one_of(
    st.sampled_from([r.label for t in schema.TABLES for tpl in ("2019", "2021") for r in schema.rows_for(t, tpl)]),
    st.sampled_from(list(schema.TABLE_LABELS.values()) + sorted(BLANK_MARKS) + ["abc", "NaN", "1/2", "第3页", "总计"]),
    st.integers(-10**6, 10**20).map(str),
    st.text(max_size=12),
)


@settings(max_examples=300)
@given(st.lists(_CELL_TEXTS, max_size=120), st.sampled_from(["2019", "2021"]))
def test_any_cell_stream_maps_without_inventing_values(texts, template):
    cells = [Cell(t, line=n) for n, t in enumerate(texts, 1)]
    ex = extract_tables(cells, template)
    keys = [(v.table, v.row, v.column) for v in ex.values if v.row != "unmapped"]
    assert len(keys) == len(set(keys))  # one value per key: a repeated row is reported, not read twice
    for v in ex.values:
        if v.flag == "":
            assert v.cell is not None and read_number(v.cell.text).value == v.value
        elif v.flag == "blank":
            assert v.value == 0
        else:
            assert math.isnan(v.value)

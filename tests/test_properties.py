"""Property tests for the pieces every format relies on."""

from __future__ import annotations

from importlib import resources

from hypothesis import given, settings
from hypothesis import strategies as st

from govstats import schema
from govstats.documents.model import expand_spans
from govstats.normalize import BLANK_MARKS, normalize_label, read_number

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

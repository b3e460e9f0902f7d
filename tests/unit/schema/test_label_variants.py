"""Every line of the label-variant data, checked against the parser's own matching rule.

One test per line of govstats/schema/data/label_variants.csv and header_cells.csv: the
example, normalised as the parser normalises every cell, must be recognised as that line's
row (or as a header cell) by the parser's classifier, in every template that prints the row.
The parser picks, among the rows of both tables whose pattern matches within the first
characters of a label, the one whose match starts latest; so an example may contain
another row's words, as long as its own row wins.
"""

from __future__ import annotations

import re

import pytest

from govstats import schema
from govstats.documents.model import Cell
from govstats.normalize import normalize_label
from govstats.parse.tables import _classify

TEMPLATES = ("2019", "2021")
ROWS = schema.label_variants()
HEADERS = schema.header_variants()


def _templates(table: str, key: str) -> list[str]:
    """The templates whose parser knows the row (requests: every row in both; active: by template)."""
    return [t for t in TEMPLATES if key in {r.key for r in schema.rows_for(table, t)}]


def _kind(text: str, template: str) -> tuple[str, object]:
    item = _classify(Cell(text, table=0, row=0, col=0), template)
    return item.kind, item.info


@pytest.mark.parametrize("variant", ROWS, ids=[f"{v.table}.{v.key}:{v.example}" for v in ROWS])
def test_a_label_variant_example_is_read_as_its_own_row(variant: schema.Variant) -> None:
    text = normalize_label(variant.example)
    assert re.search(variant.pattern, text), "the line's own pattern must cover its example"
    templates = _templates(variant.table, variant.key)
    assert templates, f"{variant.table}.{variant.key} is not a row of the schema"
    for template in templates:
        if variant.table == "review":  # read by position after its header cells: a header, of this row only
            others = [r for r in schema.REVIEW_ROWS if r.key != variant.key and re.search(r.pattern, text)]
            assert _kind(variant.example, template)[0] == "header"
            assert not others, others
            continue
        kind, info = _kind(variant.example, template)
        assert kind == "label", f"{template}: read as {kind}"
        table, row = info  # type: ignore[misc]
        assert (table, row.key) == (variant.table, variant.key), f"{template}: read as {table}.{row.key}"


@pytest.mark.parametrize("variant", HEADERS, ids=[v.example for v in HEADERS])
def test_a_header_cell_example_is_read_as_a_header(variant: schema.Variant) -> None:
    assert re.search(variant.pattern, normalize_label(variant.example))
    for template in TEMPLATES:
        assert _kind(variant.example, template)[0] == "header", template


def test_every_row_of_every_table_has_a_variant_with_an_example() -> None:
    covered = {(v.table, v.key) for v in ROWS if v.example.strip()}
    for table in schema.TABLES:
        for template in TEMPLATES:
            for row in schema.rows_for(table, template):
                assert (table, row.key) in covered, f"{table}.{row.key} has no variant line with an example"


def test_every_variant_line_names_a_row_of_the_schema() -> None:
    known = {(t, r.key) for t in schema.TABLES for tpl in TEMPLATES for r in schema.rows_for(t, tpl)}
    assert [(v.table, v.key) for v in ROWS if (v.table, v.key) not in known] == []


def test_a_row_pattern_is_the_alternation_of_its_lines_in_file_order() -> None:
    row = next(r for r in schema.REQUEST_ROWS if r.key == "denied_prohibited_by_law")
    lines = [v.pattern for v in ROWS if (v.table, v.key) == ("requests", "denied_prohibited_by_law")]
    assert row.pattern == "|".join(lines) == "法规禁止公开|其他法律行政"

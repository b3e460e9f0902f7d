"""Every line of the legacy label data (schema/data/legacy_variants.csv), checked against the parser's classifier."""

from __future__ import annotations

import re

import pytest

from govstats import schema
from govstats.documents.model import Cell
from govstats.normalize import normalize_label
from govstats.parse.tables import _classify, printed_label

LINES = schema.legacy_variants()
ROWS = {r.key: r for r in schema.LEGACY_ROWS}


@pytest.mark.parametrize("variant", LINES, ids=[f"{v.key}:{v.example}" for v in LINES])
def test_a_legacy_label_example_is_read_as_its_own_row(variant: schema.Variant) -> None:
    assert variant.table == "legacy" and variant.key in ROWS
    assert re.search(variant.pattern, normalize_label(variant.example))
    for text in (variant.example, f"{variant.example}条", f"{variant.example}件"):  # a unit glued in a text dump
        item = _classify(Cell(text, table=0, row=0, col=0), "legacy")
        assert item.kind == "label", text
        table, row = item.info  # type: ignore[misc]
        # a label printed under two rows (被依法纠错数) is the row under the row printed above it
        assert (table, schema.legacy_row_under(row, ROWS[variant.key].group).key) == ("legacy", variant.key)


def test_every_legacy_row_has_a_line_and_every_line_a_row() -> None:
    assert {v.key for v in LINES} == set(ROWS)
    assert all(r.unit for r in schema.LEGACY_ROWS + schema.LEGACY_PROSE_ROWS)


def test_a_legacy_label_is_never_a_label_of_the_national_tables() -> None:
    for v in LINES:
        for template in ("2019", "2021"):
            item = _classify(Cell(v.example, table=0, row=0, col=0), template)
            assert not (item.kind == "label" and item.info[0] == "legacy"), v.example  # type: ignore[index]


@pytest.mark.parametrize(("cell", "label"), [
    ("其中：1.网站公开", "其中：1.网站公开"), ("2、 政府公报公开", "2、政府公报公开"),
    ("主动公开文件数条206912106", "主动公开文件数"), ("行政复议数 件", "行政复议数"),
])
def test_the_printed_label_keeps_numbering_and_drops_space_unit_and_glued_values(cell: str, label: str) -> None:
    assert printed_label(cell) == label

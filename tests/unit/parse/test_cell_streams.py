"""The parser driven by hand-written cell streams: what a reader hands over, without any file format."""

from __future__ import annotations

import math

from govstats.documents.model import Cell
from govstats.parse.tables import extract_tables


def stream(*lines: tuple[str, ...]) -> list[Cell]:
    """One text line per tuple, each string a cell of that line."""
    return [Cell(text, line=n) for n, line in enumerate(lines, 1) for text in line]


def values(cells: list[Cell], template: str = "2021") -> dict[tuple[str, str, str], tuple[float, str]]:
    return {(v.table, v.row, v.column): (v.value, v.flag) for v in extract_tables(cells, template).values}


def test_a_labelled_row_fills_the_applicant_columns_in_template_order() -> None:
    got = values(stream(
        ("三、收到和处理政府信息公开申请情况",),
        ("一、本年新收政府信息公开申请数量", "5", "1", "0", "0", "0", "0", "6"),
    ))
    assert got[("requests", "new_received", "natural_person")] == (5.0, "")
    assert got[("requests", "new_received", "commercial_enterprise")] == (1.0, "")
    assert got[("requests", "new_received", "total")] == (6.0, "")


def test_a_blank_mark_is_a_flagged_zero_and_text_in_a_value_slot_is_unreadable() -> None:
    cells = [Cell("三、收到和处理政府信息公开申请情况", table=0, row=0, col=0)]
    cells += [Cell(t, table=0, row=1, col=k) for k, t in enumerate(["二、上年结转政府信息公开申请数量", "—", "见附件", "0", "0", "0",
                                                                      "0", "2"])]
    got = values(cells)
    assert got[("requests", "carried_over", "natural_person")] == (0.0, "blank")
    value, flag = got[("requests", "carried_over", "commercial_enterprise")]
    assert math.isnan(value) and flag == "unreadable"
    assert got[("requests", "carried_over", "total")] == (2.0, "")  # the unreadable cell shifts nothing


def test_the_review_table_is_its_fifteen_values_after_the_heading() -> None:
    numbers = [str(k) for k in range(15)]
    got = values(stream(("四、政府信息公开行政复议、行政诉讼情况",), tuple(numbers)))
    assert got[("review", "admin_review", "upheld")] == (0.0, "")
    assert got[("review", "litigation_direct", "upheld")] == (5.0, "")
    assert got[("review", "litigation_after_review", "total")] == (14.0, "")


def test_a_legacy_document_yields_no_values() -> None:
    assert extract_tables(stream(("一、本年新收政府信息公开申请数量", "5")), "legacy").values == []


def test_a_page_number_between_label_and_values_is_noise() -> None:
    got = values(stream(
        ("三、收到和处理政府信息公开申请情况",),
        ("四、结转下年度继续办理",), ("- 3 -",), ("1", "0", "0", "0", "0", "0", "1"),
    ))
    assert got[("requests", "carried_forward", "natural_person")] == (1.0, "")
    assert got[("requests", "carried_forward", "total")] == (1.0, "")

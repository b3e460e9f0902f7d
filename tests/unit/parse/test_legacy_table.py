"""The legacy 统计表 through the one parser: text lines, glued dumps, repeated labels, unknown indicators."""

from __future__ import annotations

import math

from govstats.documents.lines import split_line
from govstats.documents.model import Cell
from govstats.parse.tables import extract_tables


def _lines(*lines: str) -> list[Cell]:
    return [Cell(text, line=n) for n, line in enumerate(lines, 1) for text in split_line(line)]


def _values(cells: list[Cell]) -> dict[tuple[str, str], tuple[float, str, str | None]]:
    ex = extract_tables(cells, "legacy")
    return {(v.row, v.column): (v.value, v.flag, v.row_label) for v in ex.values}


def test_rows_of_a_text_table_with_units_and_two_value_columns():
    got = _values(_lines("指标名称   计量单位   2016年度   历年累计", "收到申请数   件   12   40",
                         "申请答复数   件   12   40", "其中：1、同意公开   件   9   30", "2、同意部分公开   件   3   10"))
    assert got[("requests_received", "value")] == (12, "", "收到申请数")
    assert got[("granted", "cumulative")] == (30, "", "其中：1、同意公开")
    assert len(got) == 8


def test_a_table_without_its_running_total_has_one_value_column():
    got = _values(_lines("指标名称   计量单位   2016年度", "收到申请数   件   12", "申请答复数   件   12"))
    assert got == {("requests_received", "value"): (12, "", "收到申请数"), ("answers_total", "value"): (12, "", "申请答复数")}


def test_a_repeated_label_belongs_to_the_row_printed_above_it():
    got = _values(_lines("历年累计", "行政复议数量   件   2   5", "被依法纠错数   件   1   2", "行政诉讼数量   件   1   1",
                         "被依法纠错数   件   0   1"))
    assert got[("review_corrected", "value")][0] == 1 and got[("suits_corrected", "cumulative")][0] == 1


def test_glued_values_are_decoded_under_the_table_identities_or_left_nan():
    # 主动公开 = 网站 + 公报 in both columns: 2069|12106 is the one reading with 1889|11000 and 180|1106
    got = _values(_lines("历年累计", "主动公开文件数条206912106", "其中：1、网站公开条188911000", "2、政府公报公开条1801106"))
    assert {k: v[:2] for k, v in got.items()} == {
        ("active_total", "value"): (2069, "inferred"), ("active_total", "cumulative"): (12106, "inferred"),
        ("active_website", "value"): (1889, "inferred"), ("active_website", "cumulative"): (11000, "inferred"),
        ("active_gazette", "value"): (180, "inferred"), ("active_gazette", "cumulative"): (1106, "inferred")}
    assert got[("active_total", "value")][2] == "主动公开文件数"
    alone = _values(_lines("历年累计", "举报投诉数量件1234", "二〇一七年一月十日"))  # no identity: 1|234, 12|34 … are all possible
    assert all(math.isnan(v[0]) and v[1] == "unreadable" for v in alone.values())


def test_an_indicator_the_schema_does_not_know_is_kept_with_its_printed_label():
    ex = extract_tables(_lines("历年累计", "收到申请数   件   12   40", "政府信息公开咨询数   7   20"), "legacy")
    kept = [v for v in ex.values if v.row == "unmapped"]
    assert [(v.column, v.value, v.row_label) for v in kept] == [("value", 7, "政府信息公开咨询数"),
                                                                 ("cumulative", 20, "政府信息公开咨询数")]
    assert [p.rule for p in ex.problems] == ["unmapped_row"]


def test_national_labels_are_no_legacy_rows_and_legacy_labels_no_national_ones():
    assert extract_tables(_lines("一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1"), "legacy").values == []
    assert all(v.table != "legacy" for v in extract_tables(_lines("收到申请数   件   12   40"), "2021").values)

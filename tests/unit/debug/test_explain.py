"""`govstats explain`: every cell's role, every value's table/row/column, a reason for every skipped cell."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from helpers import CORPUS

import govstats
from govstats import cli, schema
from govstats.documents import load_document
from govstats.parse.metadata import find_template, find_year
from govstats.parse.tables import extract_tables
from govstats.parse.trace import Trace
from govstats.testing import synthetic

HUAIAN = CORPUS / "huaian-shizhengfu-2024.pdf"
CARRIED_OVER = "二、上年结转政府信息公开申请数量"


def _with_label(label: str, write):
    """A generated 2021 report whose 上年结转 row label is replaced by `label`, and the report itself."""
    rep = synthetic.make_report(21, "某某县民政局", 2022, "2021")
    html = synthetic.render_html(rep)
    assert html.count(f">{CARRIED_OVER}<") == 1
    return rep, write("r.html", html.replace(f">{CARRIED_OVER}<", f">{label}<"))


def _printed(rep: synthetic.SyntheticReport, row: str) -> list[str]:
    return [synthetic._fmt(rep, ("requests", row, c.key)) for c in schema.REQUEST_COLUMNS]


def test_an_unmatched_label_and_its_skipped_values_say_why(write):
    rep, path = _with_label("xyzzy plugh label", write)
    frame = govstats.explain(path)
    label = frame[frame["text"] == "xyzzy plugh label"].squeeze()
    assert label["role"] == "unmatched" and "matches no row label" in label["reason"]
    assert label["kind"] == "text" and label[["table", "row"]].isna().all()
    after = frame[frame["n"] > label["n"]].head(len(schema.REQUEST_COLUMNS))  # its grid row's value cells
    assert list(after["text"]) == _printed(rep, "carried_over")
    assert (after["role"] == "skipped").all() and after[["table", "row", "column"]].isna().all().all()
    assert after["reason"].str.contains("no row label before it.*'xyzzy plugh label'").all()
    assert "carried_over" not in set(frame["row"].dropna())
    # the row above filled its own columns and nothing more
    above = frame[(frame["row"] == "new_received") & (frame["role"] == "value")]
    assert list(above["column"]) == [c.key for c in schema.REQUEST_COLUMNS]


def test_an_unmatched_chinese_label_is_kept_as_an_unmapped_row(write):
    rep, path = _with_label("胡乱写的标签", write)
    frame = govstats.explain(path)
    label = frame[frame["text"] == "胡乱写的标签"].squeeze()
    assert label["role"] == "unmatched" and "kept as row 'unmapped'" in label["reason"]
    values = frame[(frame["row"] == "unmapped") & (frame["role"] == "value")]
    assert list(values["text"]) == _printed(rep, "carried_over")
    assert list(values["column"]) == [c.key for c in schema.REQUEST_COLUMNS]


def test_labels_name_their_row_and_the_variant_that_matched(write):
    rep, path = _with_label(CARRIED_OVER, write)
    frame = govstats.explain(path)
    label = frame[frame["text"] == CARRIED_OVER].squeeze()
    assert (label["role"], label["table"], label["row"], label["variant"]) == ("label", "requests", "carried_over",
                                                                               "上年结转")
    group = frame[(frame["row"] == "other") & (frame["role"] == "label")].squeeze()  # (六) over its 2021 sub-rows
    assert "no values follow" in group["reason"]
    values = frame[frame["role"] == "value"]
    assert dict(zip(zip(values["table"], values["row"], values["column"]), values["value"])) == rep.values
    assert len(values) == len(rep.values)


def test_a_row_printed_twice_keeps_the_first_and_says_so(write):
    rep = synthetic.make_report(22, "某某县民政局", 2022, "2021")
    html = synthetic.render_html(rep)
    start = html.rindex("<tr>", 0, html.index(CARRIED_OVER))
    row = html[start:html.index("</tr>", start) + len("</tr>")]
    frame = govstats.explain(write("twice.html", html.replace(row, row + row)))
    labels = frame[frame["text"] == CARRIED_OVER]
    assert list(labels["role"]) == ["label", "label"] and "printed again" in labels["reason"].iloc[1]
    second = frame[frame["n"] > labels["n"].iloc[1]].head(len(schema.REQUEST_COLUMNS))
    assert (second["role"] == "skipped").all() and second["reason"].str.contains("second printing").all()
    assert (frame["row"] == "carried_over").sum() == 2 + len(schema.REQUEST_COLUMNS)  # two labels, one row of values


def test_a_short_row_names_its_missing_columns(write):
    rep = synthetic.make_report(23, "某某县民政局", 2022, "2021")
    lines = synthetic.render_text(rep, "pipe").splitlines()
    at = lines.index(f"{CARRIED_OVER} |")
    del lines[at + len(schema.REQUEST_COLUMNS)]  # its last value: 总计 (an HTML grid would pad it as a blank)
    frame = govstats.explain(write("short.txt", "\n".join(lines)))
    label = frame[frame["text"] == CARRIED_OVER].squeeze()
    assert label["reason"] == "row requests/carried_over: 6 of 7 values found before the row ends; missing: total"


def test_every_value_of_the_huaian_report_is_explained_with_its_row_and_column():
    report = govstats.read_report(HUAIAN)
    frame = govstats.explain(HUAIAN)
    assert frame.attrs["template"] == report.template
    read = report.cells[report.cells["flag"] != "missing"]
    values = frame[frame["role"] == "value"]

    def keyed(f, text):
        return Counter(zip(f["source"], f[text], f["table"], f["row"], f["column"]))

    assert len(read) == len(report.cells) == 200
    assert keyed(values, "text") == keyed(read, "printed")
    # every number or blank went into a row or says why not; no cell is left without a role
    numbers = frame[frame["kind"].isin(["number", "blank"])]
    assert set(numbers["role"]) == {"value", "skipped"}
    skipped = frame[frame["role"] == "skipped"]
    assert len(skipped) > 0 and (skipped["reason"].str.len() > 10).all()
    assert not skipped["reason"].str.contains("passed over by the parser").any()
    assert frame["role"].notna().all() and list(frame["n"]) == list(range(len(frame)))


def test_a_trace_leaves_the_values_unchanged():
    doc = load_document(HUAIAN)
    template = find_template(doc, find_year(doc))
    trace = Trace()
    assert extract_tables(doc.cells, template, trace) == extract_tables(doc.cells, template)
    assert len(trace.seen) == sum(not c.span_copy for c in doc.cells)


def test_cli_prints_a_readable_table_and_writes_csv(tmp_path, capsys):
    assert cli.main(["explain", str(HUAIAN)]) == 0
    out = capsys.readouterr().out
    assert "template 2021" in out and "二、上年结转政府信息公开申请数量"[:10] in out
    assert "new_received" in out and "natural_person" in out and "no row label before it" in out
    assert "一、总体情况" not in out  # text cells only with --all
    assert cli.main(["explain", str(HUAIAN), "--all"]) == 0
    assert "一、总体情况" in capsys.readouterr().out
    target = tmp_path / "explain.csv"
    assert cli.main(["explain", str(HUAIAN), "--csv", str(target)]) == 0
    with target.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sum(r["role"] == "value" for r in rows) == 200
    assert {r["role"] for r in rows}.isdisjoint({"text", "span copy"})


def test_cli_help_shows_an_example(capsys):
    with pytest.raises(SystemExit):
        cli.main(["explain", "--help"])
    assert "govstats explain data/raw/corpus/huaian-shizhengfu-2024.pdf" in capsys.readouterr().out


WRAPPED = """某某县民政局2022年政府信息公开工作年度报告
三、收到和处理政府信息公开申请情况
    自然人   商业企业   科研机构   社会公益组织   法律服务机构   其他   总计
一、本年新收政府信息公开申请数量   3   0   0   0   0   0   3
（三  2.其   1   0   0   0   0   0   1
）不  他法律行政
予公  法规禁止公开
"""


def test_a_label_wrapped_in_a_narrow_column_names_its_continuations(write):
    frame = govstats.explain(write("r.txt", WRAPPED))
    label = frame[frame["text"] == "2.其"].squeeze()
    assert (label["role"], label["row"]) == ("label", "denied_prohibited_by_law")
    for part in ("他法律行政", "法规禁止公开"):
        piece = frame[frame["text"] == part].squeeze()
        assert piece["role"] == "noise" and "continues the label '2.其他法律行政法规禁止公开'" in piece["reason"]
    values = frame[(frame["role"] == "value") & (frame["row"] == "denied_prohibited_by_law")]
    assert list(values["value"]) == [1, 0, 0, 0, 0, 0, 1]


def test_columns_read_by_position_are_said_so_at_the_first_label(write):
    without_header = "\n".join(line for line in WRAPPED.splitlines() if "自然人" not in line)
    frame = govstats.explain(write("r.txt", without_header))
    label = frame[frame["text"] == "一、本年新收政府信息公开申请数量"].squeeze()
    assert "read in the national template's order" in label["reason"]
    report = govstats.read_report(write("r.txt", without_header))
    check = report.checks[(report.checks["rule"] == "columns.by_header") & (report.checks["table"] == "requests")]
    assert not check["passed"].any() and set(check["severity"]) == {"info"}

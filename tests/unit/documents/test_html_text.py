"""HTML and text reports: every rendering and every real-world quirk reads exactly.

Each test starts from a generated report with known values, renders it, applies one
quirk seen in real reports, and compares what read_report returns with what was put in.
"""

from __future__ import annotations

import math
import re
from importlib import resources

import pytest
from helpers import values_of

import govstats
from govstats.errors import CorruptFileError, GovstatsError, NotAReportError, UnsupportedFormatError
from govstats.testing import synthetic


def assert_same_values(rep: synthetic.SyntheticReport, report) -> None:
    got = values_of(report)
    wrong = {k: (v, got.get(k)) for k, v in rep.values.items() if got.get(k) != v}
    assert not wrong, wrong
    assert set(got) - set(rep.values) == set()


def failed(report) -> set[str]:
    return set(report.checks.loc[~report.checks["passed"], "rule"])


@pytest.mark.parametrize("rendering", ["html-utf8", "html-gbk-no-charset", "html-gb2312-meta", "pipe", "layout"])
def test_round_trip_every_rendering(write, synthetic_report, rendering):
    rep = synthetic_report
    if rendering == "html-utf8":
        path = write("r.html", synthetic.render_html(rep))
    elif rendering == "html-gbk-no-charset":
        path = write("r.htm", synthetic.render_html(rep, charset=None), "gbk")
    elif rendering == "html-gb2312-meta":
        path = write("r.shtml", synthetic.render_html(rep, charset="gb2312"), "gb18030")
    else:
        path = write("r.txt", synthetic.render_text(rep, rendering))
    report = govstats.read_report(path)
    assert (report.agency, report.year, report.template) == (rep.agency, rep.year, rep.template)
    assert_same_values(rep, report)
    assert report.ok, report.checks[~report.checks["passed"]]
    assert (report.cells["flag"] == "").all()
    assert report.cells["source"].str.startswith(path.name).all()


def test_cells_follow_the_schema_columns_and_order(write, synthetic_report):
    report = govstats.read_report(write("r.html", synthetic.render_html(synthetic_report)))
    cells = report.cells
    assert list(cells.columns[:10]) == ["report_id", "agency", "year", "template", "table", "row", "column",
                                        "value", "flag", "row_label"]
    assert list(dict.fromkeys(cells["table"])) == ["active", "requests", "review"]
    assert cells.loc[cells["row"] == "new_received", "row_label"].iloc[0] == "一、本年新收政府信息公开申请数量"
    assert cells["source"].str.contains(r"table \d+ r\d+c\d+").all()


def _requests_part(html: str) -> tuple[int, int]:
    start = html.index("三、收到和处理政府信息公开申请情况")
    return start, html.index("四、政府信息公开行政复议", start)


def test_all_tables_in_one_table(write, synthetic_report):
    html = synthetic.render_html(synthetic_report)
    html = re.sub(r"<p><strong>(.*?)</strong></p><table border='1'>", r"<tr><td colspan='10'>\1</td></tr>", html)
    html = html.replace("</table>", "")
    html = html.replace("<tr><td colspan='10'>二、", "<table border='1'><tr><td colspan='10'>二、", 1)
    html = html.replace("<p>五、", "</table><p>五、")
    assert html.count("<table") == 1
    report = govstats.read_report(write("one.html", html))
    assert_same_values(synthetic_report, report)


def test_table_split_over_several_with_page_number_between(write, synthetic_report):
    html = synthetic.render_html(synthetic_report)
    cut = html.index("<tr>", html.index("国家秘密") - 200)
    html = html[:cut] + "</table><p>- 3 -</p><p>第3页</p><table border='1'>" + html[cut:]
    report = govstats.read_report(write("split.html", html))
    assert_same_values(synthetic_report, report)
    assert report.ok


def test_th_cells_nested_markup_and_layout_tables(write, synthetic_report):
    html = synthetic.render_html(synthetic_report)
    html = re.sub(r"<td([^>]*)>([^<]*)</td>", r"<th\1><p><span style='x'>\2</span></p></th>", html)
    html = html.replace("<div class='article'>", "<table><tr><td><div class='article'>").replace(
        "</div></body>", "</div></td></tr></table></body>")
    report = govstats.read_report(write("th.html", html))
    assert_same_values(synthetic_report, report)


def test_labels_broken_by_br_and_stray_spaces(write, synthetic_report):
    html = synthetic.render_html(synthetic_report)
    html = html.replace(">商业企业<", ">商业<br>企业<").replace(">法律服务机构<", ">法 律 服 务 机构<")
    html = html.replace("4.无正当理由大量反复申请", "4.无正当理由大量反复 申请")
    html = html.replace("（一）予以公开", "（一）予以<br/>公开").replace("5.属于三类内部事务信息", "5.属于三类内部\n事务信息")
    report = govstats.read_report(write("br.html", html))
    assert_same_values(synthetic_report, report)


def test_mistyped_and_variant_labels(write):
    rep = synthetic.make_report(3, "某某市生态环境局", 2022, "2021")
    html = synthetic.render_html(rep)
    html = html.replace("只计这一情形", "只计这一情况").replace("三类内部事务信息", "三类内容事务信息")
    html = html.replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开").replace(
        "现行有效件数", "现行有效件数 (历史累计)")
    report = govstats.read_report(write("typo.html", html))
    assert_same_values(rep, report)


def test_traditional_characters(write, synthetic_report):
    table = {}
    text = resources.files("opencc").joinpath("dictionary/STCharacters.txt").read_text("utf-8")
    for line in text.splitlines():
        src, _, dst = line.partition("\t")
        if len(src) == 1:
            table[ord(src)] = dst.split(" ")[0][:1]
    html = synthetic.render_html(synthetic_report).translate(table)
    assert "報告" in html and "規章" in html
    report = govstats.read_report(write("big5.html", html))
    assert_same_values(synthetic_report, report)
    assert report.agency == synthetic_report.agency  # printed traditional, named simplified


def test_number_formats_full_width_separators_and_signs(write, synthetic_report):
    rep = synthetic_report
    rep.values[("active", "licensing", "decisions")] = 98761
    html = synthetic.render_html(rep)
    html = html.replace(">98761<", ">+98,761<")
    start, end = _requests_part(html)
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    part = re.sub(r">(\d+)<", lambda m: ">" + m.group(1).translate(full) + "<", html[start:end])
    assert "０" in part or "１" in part
    report = govstats.read_report(write("num.html", html[:start] + part + html[end:]))
    assert_same_values(rep, report)


def test_2019_review_heading(write):
    rep = synthetic.make_report(5, "某某区民政局", 2020, "2019")
    html = synthetic.render_html(rep).replace(
        "四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况")
    report = govstats.read_report(write("r2019.html", html))
    assert_same_values(rep, report)
    assert len(report.cells[report.cells["table"] == "review"]) == 15


def test_blank_marks_read_as_zero_with_a_flag(write):
    rep = synthetic.make_report(8, "某某街道办事处", 2022, "2021")
    keys = [("review", "litigation_direct", c.key) for c in govstats.schema.REVIEW_COLUMNS]
    for k in keys:
        rep.values[k] = 0
    rep.blanks = set(keys)
    rep.values[("active", "rules", "in_force")] = 0
    rep.blanks.add(("active", "rules", "in_force"))
    html = synthetic.render_html(rep)
    for mark in ("—", "-", "/", "无", "不适用"):
        html = html.replace("<td colspan='1'></td>", f"<td colspan='1'>{mark}</td>", 1)
    report = govstats.read_report(write("blank.html", html))
    assert_same_values(rep, report)
    flags = report.cells.set_index(["table", "row", "column"])["flag"]
    assert all(flags[k] == "blank" for k in rep.blanks)
    assert (flags == "blank").sum() == len(rep.blanks)
    assert "value.blank_as_zero" in failed(report)
    assert report.ok  # a blank is a warning, not an error


def test_unreadable_cell_is_nan_and_reported(write):
    rep = synthetic.make_report(9, "某某县财政局", 2022, "2021")
    rep.values[("review", "admin_review", "pending")] = 777
    rep.values[("review", "admin_review", "total")] += 777
    html = synthetic.render_html(rep).replace(">777<", ">abc<")
    report = govstats.read_report(write("bad.html", html))
    cell = report.cells.set_index(["table", "row", "column"]).loc[("review", "admin_review", "pending")]
    assert math.isnan(cell["value"]) and cell["flag"] == "unreadable" and cell["printed"] == "abc"
    assert "value.unreadable" in failed(report)
    assert not report.ok
    assert values_of(report)[("review", "admin_review", "total")] == rep.values[("review", "admin_review", "total")]


def test_broken_identity_fails_its_check(write):
    rep = synthetic.make_report(4, "某某市统计局", 2023, "2021")
    rep.values[("requests", "carried_forward", "natural_person")] += 5
    rep.values[("requests", "carried_forward", "total")] += 5
    report = govstats.read_report(write("broken.html", synthetic.render_html(rep)))
    checks = report.checks[(report.checks["rule"] == "requests.balance") & ~report.checks["passed"]]
    assert set(checks["column"]) == {"natural_person", "total"}
    row = checks[checks["column"] == "total"].iloc[0]
    received = rep.values[("requests", "new_received", "total")] + rep.values[("requests", "carried_over", "total")]
    assert row["found"] == received
    assert row["expected"] == received + 5
    assert not report.ok


def test_extra_rows_are_kept_unmapped_with_a_warning(write):
    rep = synthetic.make_report(6, "某某区医疗保障局", 2020, "2019")
    html = synthetic.render_html(rep)
    extra_active = "<tr><td>其他主动公开文件</td><td>4</td><td>5</td><td>6</td></tr>"
    html = html.replace("<tr><td rowspan='1' colspan='4'>第二十条第（五）项", extra_active + "<tr><td rowspan='1' colspan='4'>第二十条第（五）项", 1)
    subtotal = "<tr><td colspan='1'>小计</td>" + "<td>0</td>" * 7 + "</tr>"
    cut = html.index("<tr>", html.index("（四）无法提供"))
    html = html[:cut] + subtotal + html[cut:]
    report = govstats.read_report(write("extra.html", html))
    assert_same_values_ignoring_unmapped(rep, report)
    unmapped = report.cells[report.cells["row"] == "unmapped"]
    assert set(unmapped["row_label"]) == {"其他主动公开文件", "小计"}
    assert list(unmapped[unmapped["row_label"] == "其他主动公开文件"]["value"]) == [4, 5, 6]
    assert (report.checks["rule"] == "unmapped_row").sum() == 2
    assert report.ok


def assert_same_values_ignoring_unmapped(rep, report) -> None:
    got = {k: v for k, v in values_of(report).items() if k[1] != "unmapped"}
    assert got == rep.values


def test_template_comes_from_structure_not_year(write):
    rep = synthetic.make_report(12, "某某县住房和城乡建设局", 2022, "2019")  # a 2022 report in the 2019 layout
    report = govstats.read_report(write("old-layout.html", synthetic.render_html(rep)))
    assert (report.year, report.template) == (2022, "2019")
    assert_same_values(rep, report)
    rep = synthetic.make_report(13, "某某县应急管理局", 2023, "2021")
    rep.other_single_row = True  # （六）其他处理 printed as one row in a 2023 report
    rep.values.update({("requests", "other", c): sum(rep.values.pop(("requests", r, c)) for r in
                                                      govstats.schema.OTHER_SUBROWS)
                       for c in [col.key for col in govstats.schema.REQUEST_COLUMNS]})
    report = govstats.read_report(write("single-other.html", synthetic.render_html(rep)))
    assert report.template == "2021"
    assert set(report.cells["row"]) >= {"other"} and not set(report.cells["row"]) & set(govstats.schema.OTHER_SUBROWS)
    assert report.ok


def test_year_is_the_covered_year_not_the_publication_date(write, synthetic_report):
    html = synthetic.render_html(synthetic_report).replace(
        "<div class='article'>", f"<div class='article'><p>发布日期：{synthetic_report.year + 1}-01-15</p>"
        f"<p>某府办〔{synthetic_report.year + 1}〕3号</p>")
    report = govstats.read_report(write("dates.html", html))
    assert report.year == synthetic_report.year


def test_agency_from_title_tag_or_none_when_only_pronoun(write, synthetic_report):
    rep = synthetic_report
    body = synthetic.render_html(rep)
    no_title = body.replace(f"<h1>{rep.title}</h1>", "").replace(f"本报告由{rep.agency}编制。", "").replace(
        f"{rep.year}年，{rep.agency}认真", f"{rep.year}年，我局认真")
    report = govstats.read_report(write("title.html", no_title))
    assert report.agency == rep.agency  # from <title>…_政府信息公开</title>
    anonymous = no_title.replace(f"<title>{rep.title}_政府信息公开</title>",
                                 f"<title>我局{rep.year}年政府信息公开工作年度报告</title>")
    report = govstats.read_report(write("anon.html", anonymous))
    assert report.agency is None
    assert "metadata.agency" in failed(report)
    assert report.year == rep.year


def test_layout_text_with_vertical_labels_and_page_footer(write, synthetic_report):
    text = synthetic.render_text(synthetic_report, "layout")
    lines = text.splitlines()
    at = next(k for k, ln in enumerate(lines) if "国家秘密" in ln)
    lines[at + 1:at + 1] = ["不", "予", "公", "开", "- 4 -"]
    report = govstats.read_report(write("layout.txt", "\n".join(lines)))
    assert_same_values(synthetic_report, report)


def test_html_without_tables_returns_metadata_and_reports_the_gap(write):
    page = ("<html><head><meta charset='utf-8'><title>某某镇2021年政府信息公开工作年度报告</title></head><body>"
            "<h2>某某镇2021年政府信息公开工作年度报告</h2><p>一、总体情况</p><p>2021年，我镇收到和处理政府信息公开申请0件。</p>"
            "</body></html>")
    report = govstats.read_report(write("prose.html", page))
    assert (report.agency, report.year, report.template) == ("某某镇", 2021, "2021")
    assert report.cells.empty
    assert set(report.checks.loc[report.checks["rule"] == "completeness.table", "table"]) == {"active", "requests",
                                                                                                "review"}


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("404.html", "<html><body><h1>404 Not Found</h1><p>页面不存在</p></body></html>".encode(), NotAReportError),
        ("report.txt", "会议纪要\n今天天气很好。\n".encode(), NotAReportError),
        ("report.html", b"", CorruptFileError),
        ("report.htm", b"   \n  ", CorruptFileError),
        ("report.pdf", bytes(range(256)) * 40, UnsupportedFormatError),
        ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, UnsupportedFormatError),
    ],
)
def test_files_that_are_not_reports_raise_naming_the_file(write, name, content, error):
    path = write(name, content)
    with pytest.raises(error) as info:
        govstats.read_report(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, GovstatsError) and info.value.reason


def test_missing_file_raises_a_govstats_error(tmp_path):
    with pytest.raises(GovstatsError, match="missing.html"):
        govstats.read_report(tmp_path / "missing.html")


def test_a_file_that_takes_too_long_raises_a_timeout(write, monkeypatch):
    import time

    from govstats.documents.readers import html as html_reader
    from govstats.errors import ReadTimeoutError

    path = write("slow.html", synthetic.render_html(synthetic.make_report(1)))
    original = html_reader.read_html

    def slow(p, data):
        time.sleep(5)
        return original(p, data)

    monkeypatch.setattr(html_reader, "read_html", slow)
    started = time.monotonic()
    with pytest.raises(ReadTimeoutError, match="slow.html: reading took longer than 0.5 s"):
        govstats.read_report(path, timeout=0.5)
    assert time.monotonic() - started < 2


def test_agency_and_year_from_the_article_title_meta_tag(write):
    page = ("<html><head><meta charset='utf-8'><meta name='ArticleTitle' content='某某市司法局2023年度政府信息公开工作年度报告'>"
            "<title>政务公开</title></head><body><p>一、总体情况</p><p>我局严格落实条例，收到和处理政府信息公开申请0件。</p>"
            "</body></html>")
    report = govstats.read_report(write("meta.html", page))
    assert (report.agency, report.year) == ("某某市司法局", 2023)


def test_review_table_without_its_heading_is_found_by_its_header_cells(write, synthetic_report):
    html = synthetic.render_html(synthetic_report).replace("四、政府信息公开行政复议、行政诉讼情况", "")
    report = govstats.read_report(write("noheading.html", html))
    assert_same_values(synthetic_report, report)


def test_blank_spacer_cells_are_not_a_review_table(write):
    rep = synthetic.make_report(14, "某某乡人民政府", 2022, "2021")
    html = synthetic.render_html(rep)
    start = html.index("<p><strong>四、")
    spacer = "<table>" + "<tr>" + "<td></td>" * 16 + "</tr></table>"
    html = html[:start] + "<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>" + spacer + "<p>五、存在的主要问题</p></body></html>"
    report = govstats.read_report(write("spacer.html", html))
    assert not (report.cells["table"] == "review").any()
    assert "review" in set(report.checks.loc[report.checks["rule"] == "completeness.table", "table"])
    # the same table printed with its headers and 15 empty cells is a table of blanks
    for k in rep.values:
        if k[0] == "review":
            rep.values[k] = 0
            rep.blanks.add(k)
    report = govstats.read_report(write("blank-review.html", synthetic.render_html(rep)))
    review = report.cells[report.cells["table"] == "review"]
    assert len(review) == 15 and (review["flag"] == "blank").all() and (review["value"] == 0).all()


def test_layout_text_with_blank_marks_between_numbers(write):
    rep = synthetic.make_report(15, "某某县审计局", 2022, "2021")
    rep.blanks = {k for k, v in rep.values.items() if k[0] == "requests" and v == 0 and k[2] != "total"}
    assert len(rep.blanks) > 20
    text = synthetic.render_text(rep, "layout")
    assert any(" / " in line and line.split()[-1].isdigit() for line in text.splitlines())
    report = govstats.read_report(write("blanks-layout.txt", text))
    assert_same_values(rep, report)
    assert set(report.cells.loc[report.cells["flag"] == "blank", ["table", "row", "column"]].itertuples(
        index=False, name=None)) == rep.blanks


@pytest.mark.parametrize(
    ("row", "before", "printed", "column"),
    [
        ("new_received", "", "1O", "natural_person"),  # the first value: the rest must not shift left
        ("carried_over", r"\d+</td><td[^>]*>", "8 / 4", "commercial_enterprise"),  # like a page number 8/4
    ],
)
def test_an_unreadable_cell_in_a_grid_row_keeps_the_other_columns_in_place(write, row, before, printed, column):
    rep = synthetic.make_report(3, "某某市生态环境局", 2022, "2021")
    html = synthetic.render_html(rep)
    label = govstats.schema.row_label("requests", "2021", row)
    cell = re.search(re.escape(label) + r"</td><td[^>]*>" + before + r"(\d+)<", html)
    report = govstats.read_report(write("cell.html", html[:cell.start(1)] + printed + html[cell.end(1):]))
    got = report.cells.set_index(["table", "row", "column"])
    assert got.loc[("requests", row, column), "flag"] == "unreadable"
    assert got.loc[("requests", row, column), "printed"] == printed
    for col in ("research_institution", "other_org", "total"):
        assert got.loc[("requests", row, col), "value"] == rep.values[("requests", row, col)]


def test_a_date_before_the_title_does_not_set_the_year(write, synthetic_report):
    rep = synthetic_report
    text = synthetic.render_text(rep, "pipe").replace(rep.title, f"{rep.year + 1}年1月20日 {rep.title}", 1)
    assert govstats.read_report(write("dated.txt", text)).year == rep.year


def test_procurement_amount_in_10k_yuan_is_converted_to_yuan(write):
    rep = synthetic.make_report(16, "某某区教育局", 2020, "2019")
    rep.values[("active", "procurement", "amount_yuan")] = 12.5
    html = synthetic.render_html(rep).replace("采购总金额", "采购总金额（万元）")
    report = govstats.read_report(write("wan.html", html))
    got = report.cells.set_index(["table", "row", "column"])
    assert got.loc[("active", "procurement", "amount_yuan"), "value"] == 125_000
    assert got.loc[("active", "procurement", "amount_yuan"), "printed"] == "12.5"

"""Agency, year and template of generated reports printed under every title form real reports use."""

from __future__ import annotations

import re

import pytest

import govstats
from govstats.normalize import to_simplified
from govstats.parse import metadata
from govstats.schema import metadata as patterns
from govstats.testing import synthetic
from govstats.testing.titles import TITLE_FORMS, with_title

AGENCIES = ("上海市民政局", "桂林市人民政府", "某某县交通运输局", "武汉经济技术开发区(汉南区)医疗保障局")


@pytest.mark.parametrize("form", sorted(TITLE_FORMS))
@pytest.mark.parametrize("style", ["html", "pipe", "layout"])
@pytest.mark.parametrize("agency", AGENCIES)
def test_title_forms(tmp_path, form, style, agency):
    rep = with_title(synthetic.make_report(3, agency=agency, year=2019), form)
    if style == "html":
        path = tmp_path / "r.html"
        path.write_text(synthetic.render_html(rep), "utf-8")
    else:
        path = tmp_path / "r.txt"
        path.write_text(synthetic.render_text(rep, style), "utf-8")
    report = govstats.read_report(path)
    assert report.year == 2019
    assert report.template == "2019"
    assert report.agency == (agency if TITLE_FORMS[form].names_agency else None)


def test_traditional_title_names_the_agency_simplified(tmp_path):
    rep = with_title(synthetic.make_report(1, agency="清遠市教育局", year=2024), "plain")
    path = tmp_path / "r.txt"
    path.write_text(synthetic.render_text(rep).replace("报告", "報告"), "utf-8")
    assert govstats.read_report(path).agency == "清远市教育局"


@pytest.mark.parametrize(("pattern", "examples"), patterns.AGENCY_LEADS)
def test_prose_leads_are_cut(pattern, examples):
    for printed, left in examples:
        assert re.sub("^(?:" + pattern + ")", "", printed) == left
        assert metadata._canonical(printed) == left


@pytest.mark.parametrize(("printed", "zone"), patterns.ZONE_BODY_EXAMPLES)
def test_zone_body_names_the_zone(printed, zone):
    assert metadata._canonical(printed) == zone


def test_a_pre_2019_report_is_legacy_whatever_its_prose_quotes(tmp_path):
    """A 2018 report citing the 2019 table words in a sentence is not a 2019-template report."""
    rep = synthetic.make_report(2, agency="湖里区人民政府", year=2018, template="2019")
    text = synthetic.render_text(rep).replace("2019", "2018")
    path = tmp_path / "r.txt"
    path.write_text(text, "utf-8")
    report = govstats.read_report(path)
    assert (report.agency, report.year, report.template) == ("湖里区人民政府", 2018, "legacy")


def test_prose_markers_do_not_make_a_table(tmp_path):
    prose = "本年新制作数量、本年新公开数量、对外公开总数量在今年有所增加。" * 3
    rep = synthetic.make_report(4, agency="某某县交通运输局", year=2022)
    path = tmp_path / "r.txt"
    path.write_text(to_simplified(synthetic.render_text(rep)) + prose + "\n", "utf-8")
    assert govstats.read_report(path).template == "2021"

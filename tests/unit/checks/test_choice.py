"""The agency-year key: the register's agency, else the printed name, qualified by site only when sites collide."""

from __future__ import annotations

import pandas as pd

from govstats.checks.choice import AGENCY_KEY, PANEL_NAME, choose, keyed


def _reports(rows: list[tuple[str | None, str | None, str | None, str | None]]) -> pd.DataFrame:
    """(printed agency, agency_id, agency_name, url) per report, all of 2023 and otherwise alike."""
    return pd.DataFrame([{"report_id": f"r{i}", "agency": a, "agency_id": i_d, "agency_name": n, "url": u,
                          "year": 2023, "values_read": 10, "errors_failed": 0, "format": "html", "path": f"{i}.html"}
                         for i, (a, i_d, n, u) in enumerate(rows)])


def test_the_register_agency_is_the_key_whatever_the_report_prints():
    r = keyed(_reports([("平潭综合实验区管委会", "pingtan", "平潭综合实验区", None),
                        ("平潭综合實驗區", "pingtan", "平潭综合实验区", "https://www.pingtan.gov.cn/a.htm"),
                        (None, "hanyang-office", "武汉市汉阳区人民政府办公室", None)]))  # named by the manifest only
    assert r[AGENCY_KEY].tolist() == ["pingtan", "pingtan", "hanyang-office"]
    assert r[PANEL_NAME].tolist() == ["平潭综合实验区", "平潭综合实验区", "武汉市汉阳区人民政府办公室"]
    assert len(choose(r)) == 2


def test_one_unresolved_name_on_two_sites_is_two_agencies():
    r = keyed(_reports([("区统计局", None, None, "http://61.150.65.235/a.html"),
                        ("区统计局", None, None, "http://www.other.gov.cn/b.html"),
                        ("区统计局", None, None, None)]))
    assert r[AGENCY_KEY].tolist() == ["区统计局@61.150.65.235", "区统计局@other.gov.cn", "区统计局"]
    assert len(choose(r)) == 3  # none merged: which of the two the one without a URL is, nothing says


def test_one_unresolved_name_on_one_site_is_one_agency_with_or_without_urls():
    r = keyed(_reports([("东海省交通运输厅", None, None, "http://example.gov.cn/b.html"),
                        ("东海省交通运输厅", None, None, None)]))
    assert set(r[AGENCY_KEY]) == {"东海省交通运输厅"}
    assert choose(r)["alternates"].tolist() == ["r1"]


def test_a_report_without_agency_or_year_is_not_placed():
    r = _reports([(None, None, None, "http://a.gov.cn/x.html")])
    assert keyed(r)[AGENCY_KEY].isna().all() and choose(r).empty

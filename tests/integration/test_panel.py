"""The agency-year panel: one report per agency-year, chosen by a stated rule, alternates checked against it."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from helpers import render

import govstats
from govstats import analysis
from govstats.dataset import build
from govstats.testing import synthetic

AGENCY = "临江市人民政府"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, synthetic.SyntheticReport]:
    """2022: one report as HTML page, its PDF attachment, and the HTML again under another name (one edited
    value); 2021: HTML only; plus a report without an agency and a non-report."""
    tmp = tmp_path_factory.mktemp("panel")
    raw = tmp / "raw"
    (raw / "site").mkdir(parents=True)
    rep = synthetic.make_report(7, AGENCY, 2022)
    (raw / "site" / "2022.html").write_text(synthetic.render_html(rep), "utf-8")
    (tmp / "render").mkdir()
    shutil.copy(render(rep, "pdf", tmp / "render"), raw / "site" / "2022-attachment.pdf")
    edited = synthetic.render_html(rep).replace("<title>", "<title>转载：", 1)  # other bytes, same numbers
    (raw / "site" / "copy-2022.html").write_text(edited, "utf-8")
    (raw / "site" / "2021.html").write_text(synthetic.render_html(synthetic.make_report(8, AGENCY, 2021)), "utf-8")
    (raw / "notes.txt").write_text("会议纪要：本周工作安排如下。\n", "utf-8")
    build(raw, tmp / "out", jobs=2, progress=False)
    return tmp / "out", rep


def test_one_row_per_agency_year_cell_with_the_choice_and_alternates(built):
    out, rep = built
    d = govstats.load(out)
    p = d.panel
    assert not p.duplicated(["agency_id", "year", "table", "row", "column"]).any()
    assert sorted(p.groupby("year", observed=True)["report_id"].nunique().items()) == [(2021, 1), (2022, 1)]
    chosen = p[p["year"] == 2022].iloc[0]
    paths = d.reports.set_index("report_id")["path"]
    assert paths[chosen["report_id"]] in {"site/2022.html", "site/copy-2022.html"}  # HTML preferred over the PDF
    assert sorted(paths[a] for a in chosen["alternates"].split()) == sorted(
        {"site/2022.html", "site/copy-2022.html", "site/2022-attachment.pdf"} - {paths[chosen["report_id"]]})
    assert "rule: most values read" in chosen["chosen_because"]
    got = p[(p["year"] == 2022) & (p["table"] == "requests")].set_index(["row", "column"])["value"]
    for (table, row, column), want in rep.values.items():
        if table == "requests" and (row, column) in got.index:
            assert got[(row, column)] == pytest.approx(want)
    assert p["synthetic"].eq(False).all()


def test_sql_on_the_panel_gives_the_python_totals(built):
    out, _ = built
    with duckdb.connect(str(out / "govstats.duckdb"), read_only=True) as con:
        sql = con.execute("""SELECT year, sum(value) AS received FROM panel WHERE "table" = 'requests'
            AND "row" = 'new_received' AND "column" = 'total' GROUP BY year ORDER BY year""").df()
    m = analysis.metrics(govstats.load(out).panel, by="agency_year")
    py = m[m["metric"] == "received"].groupby("year")["value"].sum()
    assert sql.set_index("year")["received"].to_dict() == py.to_dict()
    # the cells, all reports counted, would count 2022 three times
    cells = govstats.load(out).cells
    once = m[(m["metric"] == "received") & (m["year"] == 2022)]["value"].sum()
    new = cells[(cells["year"] == 2022) & (cells["row"] == "new_received") & (cells["column"] == "total")]
    assert new["value"].sum() == pytest.approx(3 * once)
    # and metrics on the cells with the reports makes the panel's choice
    chosen = analysis.one_per_agency_year(cells, govstats.load(out).reports)
    assert set(chosen["report_id"]) == set(govstats.load(out).panel["report_id"])


def test_statuses_and_the_checks_say_what_is_not_in_the_panel(built):
    out, _ = built
    d = govstats.load(out)
    r = d.reports.set_index("path")
    assert r.loc["notes.txt", "status"] == "not_a_report"
    assert (r["status"] == "ok").sum() == 4 and (r.loc[r["status"] == "ok", "values_read"] > 0).all()
    rules = set(d.checks["rule"])
    assert "dataset.alternate_disagrees" in rules


def test_an_alternate_that_disagrees_is_a_failed_check_with_both_numbers(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    rep = synthetic.make_report(7, AGENCY, 2022)
    (raw / "2022.html").write_text(synthetic.render_html(rep), "utf-8")
    other = synthetic.make_report(7, AGENCY, 2022)
    key = ("requests", "new_received", "total")
    other.values[key] = rep.values[key] + 5
    (raw / "republished.txt").write_text(synthetic.render_text(other), "utf-8")
    build(raw, tmp_path / "out", jobs=1, progress=False)
    d = govstats.load(tmp_path / "out")
    bad = d.checks[(d.checks["rule"] == "dataset.alternate_disagrees") & ~d.checks["passed"]]
    hit = bad[(bad["row"] == "new_received") & (bad["column"] == "total")]
    assert len(hit) == 1
    assert {hit["expected"].iloc[0], hit["found"].iloc[0]} == {rep.values[key], rep.values[key] + 5}
    assert str(int(rep.values[key])) in hit["message"].iloc[0]


def test_real_only_leaves_out_the_samples(built, tmp_path):
    out, _ = built
    assert len(govstats.load(out, real_only=True).panel) == len(govstats.load(out).panel)  # none synthetic here
    raw = tmp_path / "raw"
    (raw / "s").mkdir(parents=True)
    (raw / "s" / ".synthetic").touch()
    (raw / "s" / "a.html").write_text(synthetic.render_html(synthetic.make_report(3, AGENCY, 2020)), "utf-8")
    build(raw, tmp_path / "out", jobs=1, progress=False)
    d = govstats.load(tmp_path / "out")
    assert d.panel["synthetic"].all()
    m = analysis.metrics(d.panel, by="agency_year")
    assert m["synthetic"].all() and analysis.pivot(m, "received").attrs["synthetic"]
    real = govstats.load(tmp_path / "out", real_only=True)
    assert real.panel.empty and real.reports.empty and real.cells.empty
    assert isinstance(real.panel, pd.DataFrame)


def test_a_report_without_table_values_is_no_tables_with_the_reason(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    head = f"{AGENCY}{{}}年政府信息公开工作年度报告\n\n一、总体情况\n我府认真贯彻落实《中华人民共和国政府信息公开条例》。\n"
    (raw / "2017.txt").write_text(head.format(2017), "utf-8")
    (raw / "2022.txt").write_text(head.format(2022), "utf-8")
    (raw / "untitled.html").write_text(synthetic.render_html(synthetic.make_report(5, AGENCY, 2021)).replace(
        AGENCY, "").replace("2021年", ""), "utf-8")
    result = build(raw, tmp_path / "out", jobs=1, progress=False)
    d = govstats.load(tmp_path / "out")
    r = d.reports.set_index("path")
    assert r.loc["2017.txt", ["status", "error"]].tolist() == ["no_tables", "pre-2019 layout: no standard tables"]
    assert r.loc["2022.txt", ["status", "error"]].tolist() == ["no_tables", "tables not found: no value read"]
    assert r.loc["2022.txt", "values_read"] == 0 and result.failed == 0
    assert "2 files no_tables" in result.summary and "2017.txt: pre-2019 layout" in result.summary
    # read, but no agency or year printed: not in the panel, and listed (never silently dropped)
    assert r.loc["untitled.html", "status"] == "ok" and r.loc["untitled.html", ["agency", "year"]].isna().all()
    unplaced = d.checks[d.checks["rule"] == "dataset.unplaced"]
    assert unplaced["message"].tolist() == ["not in the panel: no agency and year found in untitled.html"]
    assert d.panel.empty
    assert "warning: not in the panel: no agency and year found in untitled.html" in result.summary


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of a build of two generated reports (below a `.synthetic` marker)."""
    tmp = tmp_path_factory.mktemp("samples")
    raw = tmp / "raw"
    (raw / "s").mkdir(parents=True)
    (raw / "s" / ".synthetic").touch()
    for year in (2021, 2022):
        (raw / "s" / f"{year}.html").write_text(synthetic.render_html(synthetic.make_report(year, AGENCY, year)))
    build(raw, tmp / "out", jobs=1, progress=False)
    return tmp / "out"


def test_plots_mark_a_panel_of_samples_by_default(samples, tmp_path):
    from govstats.analysis import labels, plots

    m = analysis.metrics(govstats.load(samples).panel, by="agency_year")
    title = plots.trend(m, None, "received").axes[0].get_title()
    assert title.endswith(labels.PLOT_LABELS["synthetic"])
    assert not plots.trend(m.drop(columns="synthetic"), None, "received").axes[0].get_title().endswith(
        labels.PLOT_LABELS["synthetic"])
    y = analysis.yoy(m, "received")
    assert y["synthetic"].all()
    book = govstats.export_excel(govstats.load(samples), tmp_path / "all.xlsx")
    received = pd.read_excel(book, sheet_name=None)
    assert any("合成数据" in frame.columns and frame["合成数据"].all() for frame in received.values())
    empty = govstats.export_excel(govstats.load(samples), tmp_path / "real.xlsx", real_only=True)
    reports = next(f for name, f in pd.read_excel(empty, sheet_name=None).items() if name == "报告清单")
    assert reports.empty


def test_no_derived_frame_or_summary_sheet_lacks_the_synthetic_mark(samples, tmp_path):
    from govstats.analysis import agencies
    from govstats.export.labels import EXPORT_SHEETS
    from govstats.schema.outputs import HEADERS

    d = govstats.load(samples)
    m = analysis.metrics(d.panel, by="agency_year")
    frames = {"metrics": m, "metrics by report": analysis.metrics(d.panel),
              "outcomes": analysis.outcomes(d.panel, by="agency_year"),
              "reasons": analysis.reasons(d.panel, "denied", by="agency_year"),
              "yoy": analysis.yoy(m, "received"), "rank": analysis.rank(m, "received", agencies.classify(m["agency"])),
              "harmonised requests": analysis.harmonised_requests(d.panel),
              "cells with the reports": analysis.one_per_agency_year(d.cells, d.reports)}
    for name, frame in frames.items():
        assert "synthetic" in frame.columns and frame["synthetic"].all(), name
    assert analysis.pivot(m, "received").attrs["synthetic"] and analysis.wide(m).attrs["synthetic"]
    sheets = pd.read_excel(govstats.export_excel(d, tmp_path / "all.xlsx"), sheet_name=None)
    for key in ("received", "outcomes", "review", "active", "reports"):
        sheet = sheets[EXPORT_SHEETS[key]]
        assert HEADERS["synthetic"] in sheet.columns and sheet[HEADERS["synthetic"]].all(), key

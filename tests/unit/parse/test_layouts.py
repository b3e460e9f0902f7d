"""Round trips of reports printed the ways real ones leave the national template (testing.layouts).

Every generated value must read back exactly, under its own keys, with agency, year and
template: columns printed in another order are told by their header cells, table 四 printed
as three tables is one table, a label printed on its own line before or after its values
keeps them, and `pdftotext -layout` of the PDF reads like the PDF.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import FAST_FORMATS, render, values_of

import govstats
from govstats import schema
from govstats.documents.model import Cell
from govstats.parse.tables import extract_tables
from govstats.testing import layouts, synthetic

needs_tools = pytest.mark.skipif(
    (shutil.which("soffice") is None or shutil.which("pdftotext") is None) and "CI" not in os.environ,
    reason="LibreOffice (soffice) and poppler's pdftotext are needed to print and read back the PDF",
)

APPLICANTS = ("total", "other_org", "natural_person", "legal_service_org", "commercial_enterprise",
              "social_welfare_org", "research_institution")
REVIEW_ROWS = ("litigation_after_review", "admin_review", "litigation_direct")
RESULTS = ("total", "pending", "upheld", "other", "corrected")
LAYOUTS: dict[str, Callable[[synthetic.SyntheticReport], synthetic.SyntheticReport]] = {
    "active-reversed": layouts.active_reversed,
    "applicants-reordered": lambda rep: layouts.applicants_in(rep, APPLICANTS),
    "review-reordered": lambda rep: layouts.review_in(rep, REVIEW_ROWS, RESULTS),
    "review-three-tables": layouts.review_as_three_tables,
}
REPORTS = [("2021", 2022, seed) for seed in (1, 2, 3)] + [("2019", 2020, seed) for seed in (4, 5, 6)]


def _report(template: str, year: int, seed: int) -> synthetic.SyntheticReport:
    return synthetic.make_report(seed, "某某县民政局", year, template)


def assert_round_trip(rep: synthetic.SyntheticReport, path: Path) -> govstats.Report:
    report = govstats.read_report(path)
    got = values_of(report)
    wrong = {k: (v, got.get(k)) for k, v in rep.values.items() if got.get(k) != v}
    assert not wrong, f"{len(wrong)} of {len(rep.values)} values differ: {wrong}"
    assert set(got) == set(rep.values)
    assert (report.agency, report.year, report.template) == (rep.agency, rep.year, rep.template)
    assert report.ok, report.checks[~report.checks["passed"]]
    return report


def _by_header(report: govstats.Report) -> dict[str, bool]:
    c = report.checks[report.checks["rule"] == "columns.by_header"]
    return dict(zip(c["table"], c["passed"].astype(bool)))


@pytest.mark.parametrize("fmt", FAST_FORMATS)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize(("template", "year", "seed"), REPORTS)
def test_columns_and_review_tables_are_read_by_their_header_cells(tmp_path, fmt, layout, template, year, seed):
    rep = LAYOUTS[layout](_report(template, year, seed))
    report = assert_round_trip(rep, render(rep, fmt, tmp_path))
    assert _by_header(report) == {"active": True, "requests": True, "review": True}


@needs_tools
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("template", ["2021", "2019"])
def test_reordered_and_split_tables_read_from_the_pdf(tmp_path, layout, template):
    rep = LAYOUTS[layout](_report(template, 2022 if template == "2021" else 2020, 7))
    assert_round_trip(rep, render(rep, "pdf", tmp_path))


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize(("template", "year", "seed"), REPORTS)
def test_a_label_on_its_own_line_keeps_its_values(tmp_path, where, template, year, seed):
    rep = _report(template, year, seed)
    assert_round_trip(rep, _written(tmp_path, layouts.render_detached(rep, where)))


@needs_tools
@pytest.mark.parametrize(("template", "year", "seed"), [("2021", 2022, 8), ("2019", 2020, 9)])
def test_pdftotext_layout_of_the_printed_pdf(tmp_path, template, year, seed):
    rep = _report(template, year, seed)
    assert_round_trip(rep, _written(tmp_path, layouts.render_pdftotext(rep, tmp_path)))


def test_without_header_cells_the_columns_are_the_templates_and_the_check_says_so(tmp_path):
    """A stream without header cells: values by the template's order, and columns.by_header fails (info)."""
    cells = [Cell(t, line=n) for n, line in enumerate([
        ("三、收到和处理政府信息公开申请情况",), ("一、本年新收政府信息公开申请数量", "5", "1", "0", "0", "0", "0", "6"),
    ], 1) for t in line]
    ex = extract_tables(cells, "2021")
    assert {v.column: v.value for v in ex.values}["commercial_enterprise"] == 1.0
    assert {v.by_header for v in ex.values} == {False}
    rep = layouts.applicants_in(_report("2021", 2022, 1), schema.COLUMN_ORDER["requests"])
    text = layouts.render_detached(rep, "before")
    for c in schema.REQUEST_COLUMNS:  # the header line dropped: nothing names the columns
        text = text.replace(f"   {c.label}", "").replace(f"{c.label}   ", "")
    report = govstats.read_report(_written(tmp_path, text))
    assert _by_header(report)["requests"] is False
    checks = report.checks.set_index(["rule", "table"])
    assert checks.loc[("columns.by_header", "requests"), "severity"] == "info"
    assert values_of(report)[("requests", "new_received", "total")] == rep.values[("requests", "new_received", "total")]


@pytest.mark.parametrize(("template", "year", "seed"), REPORTS)
def test_tables_side_by_side_in_one_sheet_are_read_block_by_block(tmp_path, template, year, seed):
    rep = _report(template, year, seed)
    assert_round_trip(rep, layouts.render_xlsx_beside(rep, tmp_path / "report.xlsx"))


def _written(folder: Path, text: str) -> Path:
    path = folder / "report.txt"
    path.write_text(text, "utf-8")
    return path


def test_explain_says_why_a_label_took_the_values_before_it(tmp_path):
    rep = _report("2021", 2022, 2)
    frame = govstats.explain(_written(tmp_path, layouts.render_detached(rep, "after")))
    label = frame[(frame["role"] == "label") & (frame["row"] == "carried_over")].squeeze()
    assert "printed before it" in label["reason"]
    values = frame[(frame["role"] == "value") & (frame["row"] == "carried_over")]
    assert len(values) == len(schema.REQUEST_COLUMNS) and (values["line"] < label["line"]).all()
    assert not (frame["role"] == "skipped").any()

"""Every hand-checked value of the real corpus (text excerpts, text export, PDF) comes out exactly."""

from __future__ import annotations

import math

import pytest
from helpers import load_truth, report_for, truth_files, values_of

import govstats

ALL = truth_files()


@pytest.mark.parametrize("truth_path", ALL, ids=lambda p: p.stem)
def test_values_metadata_and_blanks(truth_path):
    truth = load_truth(truth_path)
    report = govstats.read_report(report_for(truth_path))
    assert report.year == truth["year"]
    assert report.template == truth["template"]
    if truth.get("agency_in_text", True) and truth["agency"]:
        assert report.agency == truth["agency"]
    else:
        assert report.agency is None
        assert not report.checks.set_index("rule").loc["metadata.agency", "passed"]
    got = values_of(report)
    expected = {
        (t, r, c): v for t, rows in truth["truth"].items() for r, cols in rows.items() for c, v in cols.items()
    }
    wrong = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
    assert not wrong, f"{len(wrong)} of {len(expected)} values differ: {wrong}"
    flags = report.cells.set_index(["table", "row", "column"])["flag"]
    for key in truth.get("blanks", []):
        assert flags[tuple(key.split("."))] == "blank", key


@pytest.mark.parametrize("truth_path", ALL, ids=lambda p: p.stem)
def test_every_cell_is_traceable(truth_path):
    report = govstats.read_report(report_for(truth_path))
    name = report_for(truth_path).name
    assert report.cells["source"].str.startswith(name).all()
    read = report.cells[report.cells["flag"] == ""]
    # a value that was read is the number printed in its source cell
    for printed, value in zip(read["printed"], read["value"]):
        assert float(printed.replace(",", "").strip()) == value


def test_legacy_reports_have_metadata_and_no_cells():
    for stem in ("008", "044", "045"):
        truth_path = next(t for t in truth_files() if t.stem == stem)
        report = govstats.read_report(report_for(truth_path))
        assert report.template == "legacy"
        assert report.cells.empty
        assert "template.legacy" in set(report.checks["rule"])


def test_cut_excerpt_reports_missing_rows_without_inventing_them():
    truth_path = next(t for t in truth_files() if t.stem == "056")
    report = govstats.read_report(report_for(truth_path))
    granted = report.cells[(report.cells["row"] == "granted")]
    assert len(granted) == 5  # the excerpt stops after five cells of 予以公开
    failed = report.checks[~report.checks["passed"]]
    assert {"carried_forward", "total_processed"} <= set(failed[failed["rule"] == "completeness.row"]["row"])
    assert "review" in set(failed[failed["rule"] == "completeness.table"]["table"])
    unmapped = report.cells[report.cells["row"] == "unmapped"]
    assert set(unmapped["row_label"]) == {"其他主动公开文件"}
    assert not any(math.isnan(v) for v in report.cells["value"])


def test_complete_report_passes_every_check():
    truth_path = next(t for t in truth_files() if t.stem.startswith("gongshu"))
    report = govstats.read_report(report_for(truth_path))
    assert report.ok
    assert len(report.cells) == 200
    assert set(report.checks["rule"]) >= {"requests.balance", "requests.outcomes_sum", "requests.applicant_sum",
                                          "review.results_sum"}


def test_pdftotext_layout_rendering_of_the_huaian_pdf():
    """`pdftotext -layout` of the real PDF: wrapped labels, vertical group labels, page footers."""
    from helpers import ROOT, TRUTH

    truth = load_truth(TRUTH / "huaian-shizhengfu-2024.json")
    report = govstats.read_report(ROOT / "tests" / "fixtures" / "data" / "huaian-shizhengfu-2024.pdftotext-layout.txt")
    expected = {(t, r, c): v for t, rows in truth["truth"].items() for r, cols in rows.items() for c, v in cols.items()}
    assert values_of(report) == expected
    assert (report.agency, report.year, report.template) == ("淮安市人民政府", 2024, "2021")
    assert report.ok

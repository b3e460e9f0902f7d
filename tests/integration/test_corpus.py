"""Every hand-checked value of the real corpus (text excerpts, text export, PDF, the Pingtan HTML series, its
pre-2019 统计表 and prose figures) comes out exactly."""

from __future__ import annotations

import math
import re

import pytest
from helpers import load_truth, report_for, truth_files, values_of

import govstats
from govstats.normalize import UNITS

ALL = truth_files()
# Tables of truth keyed (table, row, column); `legacy` (pre-2019 统计表 by printed label) has its own test.
READ_TABLES = {"active", "requests", "review"}
LEGACY = [t for t in ALL if "legacy" in load_truth(t)["truth"]]
def _read_truth(truth: dict) -> dict[tuple[str, str, str], float]:
    """Every (table, row, column) value of the tables the parser reads; unknown truth tables fail loudly."""
    assert set(truth["truth"]) <= READ_TABLES | {"legacy"}, set(truth["truth"])
    return {(t, r, c): v for t, rows in truth["truth"].items() if t in READ_TABLES
            for r, cols in rows.items() for c, v in cols.items()}


@pytest.mark.parametrize("truth_path", ALL, ids=lambda p: p.stem)
def test_values_metadata_and_blanks(truth_path):
    truth = load_truth(truth_path)
    report = govstats.read_report(report_for(truth_path))
    assert report.year == truth["year"]
    assert report.template == truth["template"]
    got = values_of(report)
    expected = _read_truth(truth)
    wrong = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
    assert not wrong, f"{len(wrong)} of {len(expected)} values differ: {wrong}"
    flags = report.cells.set_index(["table", "row", "column"])["flag"]
    for key in truth.get("blanks", []):
        if key.split(".")[0] in READ_TABLES:
            assert flags[tuple(key.split("."))] == "blank", key


@pytest.mark.parametrize("truth_path", ALL, ids=lambda t: t.stem)
def test_agency(truth_path):
    truth = load_truth(truth_path)
    report = govstats.read_report(report_for(truth_path))
    if truth.get("agency_in_text", True) and truth["agency"]:
        assert report.agency == truth["agency"]
    else:
        assert report.agency is None
        assert not report.checks.set_index("rule").loc["metadata.agency", "passed"]


def _prose_matches(fragment: str, value: float, cells) -> list[int]:
    """The prose cells whose sentence holds every part of a truth fragment ('各乡镇…占28.7%') and whose value is it."""
    parts = [p for p in fragment.split("…") if p]
    return [k for k, (printed, v) in enumerate(zip(cells["printed"], cells["value"]))
            if v == value and all(p in printed for p in parts)]


@pytest.mark.parametrize("truth_path", LEGACY, ids=lambda p: p.stem)
def test_legacy_table_and_prose_values(truth_path):
    """Every truth.legacy value: the 统计表 by printed label (本年度 and 历年累计), each prose figure in its sentence."""
    truth = load_truth(truth_path)
    report = govstats.read_report(report_for(truth_path))
    assert report.template == "legacy"
    cells = report.cells[report.cells["table"] == "legacy"]
    table = cells[cells["flag"] != "prose"].set_index(["row_label", "column"])
    prose = cells[cells["flag"] == "prose"].reset_index(drop=True)
    wrong, matched = {}, set()
    for label, v in truth["truth"]["legacy"].items():
        if label.startswith("prose: "):
            hits = _prose_matches(label.removeprefix("prose: "), v["value"], prose)
            matched.update(hits)
            if not hits:
                wrong[label] = (v["value"], None)
            continue
        for column, key in (("value", "value"), ("cumulative", "cumulative")):
            got = table["value"].get((label, column))
            if got != v[key]:
                wrong[f"{label}/{column}"] = (v[key], got)
    assert not wrong, f"{len(wrong)} truth.legacy values differ: {wrong}"
    # and the other way round: every figure read from prose is one the truth lists (no false readings)
    assert matched == set(prose.index), prose.drop(index=list(matched))[["row", "value", "printed"]]
    assert len(table) == 2 * sum(1 for k in truth["truth"]["legacy"] if not k.startswith("prose: "))
    for key in truth.get("blanks", []):
        _, label, column = key.split(".")
        assert table.loc[(label, column), "flag"] == "blank", key
    assert (prose["printed"].str.len() > 10).all()  # the sentence, not the number


@pytest.mark.parametrize("truth_path", ALL, ids=lambda p: p.stem)
def test_every_cell_is_traceable(truth_path):
    report = govstats.read_report(report_for(truth_path))
    name = report_for(truth_path).name
    assert report.cells["source"].str.startswith(name).all()
    read = report.cells[report.cells["flag"] == ""]
    # a value that was read is the number printed in its source cell (a unit printed in the cell, as in
    # 004-pingtan-2019's "75394432.52元", is not part of the number)
    for printed, value in zip(read["printed"], read["value"]):
        assert float(re.sub(f"(?:{UNITS})$", "", printed.replace(",", "").strip())) == value


def test_legacy_excerpts_have_metadata_and_only_their_stated_figures():
    """Narrative-only legacy excerpts: no cells where no figure is stated; 045's four item counts (none a request)."""
    stated = {}
    for stem in ("008", "044", "045"):
        truth_path = next(t for t in truth_files() if t.stem == stem)
        report = govstats.read_report(report_for(truth_path))
        assert report.template == "legacy"
        assert "template.legacy" in set(report.checks["rule"])
        assert set(report.cells["flag"]) <= {"prose"}
        stated[stem] = dict(zip(report.cells["row"], report.cells["value"]))
    assert stated == {"008": {}, "044": {},
                      "045": {"info_produced": 3021, "active_total": 1027, "on_request_info": 459, "withheld_info": 1535}}


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

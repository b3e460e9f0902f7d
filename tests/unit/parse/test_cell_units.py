"""Money cells that print their own unit, and dash marks, in generated reports with known values."""

from __future__ import annotations

import math

import pytest
from helpers import values_of

import govstats
from govstats.normalize import Reading, in_unit, read_number
from govstats.testing import synthetic

PROCUREMENT = ("active", "procurement", "amount_yuan")
FEES = ("active", "fees", "amount_10k_yuan")


def _read(tmp_path, rep, printed_value: str, printed_as: str):
    page = synthetic.render_html(rep).replace(f">{printed_value}<", f">{printed_as}<", 1)
    assert printed_as in page
    path = tmp_path / "r.html"
    path.write_text(page, "utf-8")
    return govstats.read_report(path)


@pytest.mark.parametrize(("printed", "expected"), [("6,842.29万元", 68_422_900.0), ("75394432.52元", 75_394_432.52),
                                                     ("75394432.52", 75_394_432.52)])
def test_procurement_amount_in_yuan_whatever_unit_the_cell_prints(tmp_path, printed, expected):
    rep = synthetic.make_report(5, year=2019)
    rep.values[PROCUREMENT] = 912_345_678  # unique in the page, so only this cell is reprinted
    report = _read(tmp_path, rep, "912345678", printed)
    assert values_of(report)[PROCUREMENT] == expected
    cell = report.cells.set_index(["table", "row", "column"]).loc[PROCUREMENT]
    assert cell["printed"] == printed and cell["flag"] == ""
    assert report.checks["passed"].all()


def test_fee_in_yuan_under_a_10k_yuan_column(tmp_path):
    rep = synthetic.make_report(6, year=2022)
    rep.values[FEES] = 4321.5
    report = _read(tmp_path, rep, "4321.5", "4,321元")
    assert values_of(report)[FEES] == pytest.approx(0.4321, abs=0)


@pytest.mark.parametrize("dash", ["-", "—", "−", "‐", "－"])
def test_a_lone_dash_is_a_blank(tmp_path, dash):
    rep = synthetic.make_report(7, year=2022)
    rep.values[FEES] = 0
    page = synthetic.render_html(rep)
    marker = "<td colspan='3'>0</td></tr>\n</table>"  # the fee cell closes the active table
    assert read_number(dash) == Reading("blank", 0.0)
    path = tmp_path / "r.html"
    path.write_text(page.replace(marker, marker.replace(">0<", f">{dash}<"), 1), "utf-8")
    report = govstats.read_report(path)
    cell = report.cells.set_index(["table", "row", "column"]).loc[FEES]
    assert (cell["value"], cell["flag"], cell["printed"]) == (0.0, "blank", dash)


def test_in_unit_only_converts_money():
    assert in_unit(read_number("3件"), "元") is None
    assert in_unit(read_number("12万元"), "") is None
    assert in_unit(read_number("0.1万元"), "元") == 1000.0
    assert math.isclose(in_unit(read_number("1元"), "万元") or 0, 0.0001)

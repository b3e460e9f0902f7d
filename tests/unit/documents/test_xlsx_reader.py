"""The XLSX reader on a used range far larger than the printed report: a stray formatted cell far out
must not make it create every blank cell in between, and the report still reads exactly."""

from __future__ import annotations

import time

import openpyxl
from helpers import values_of
from openpyxl.styles import Border, Side

import govstats
from govstats.limits import LIMITS
from govstats.testing import office, synthetic


def test_a_stray_cell_far_out_is_read_without_the_blank_range(tmp_path):
    rep = synthetic.make_report(5, "某某县人民政府办公室", 2023)
    path = office.render_xlsx(rep, tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(path)
    book.active["XFD1048576"].border = Border(bottom=Side(style="thin"))  # a used range of 17 billion cells
    book.save(path)
    assert 1_048_576 * 16_384 > LIMITS.max_sheet_cells
    start = time.perf_counter()
    report = govstats.read_report(path)
    assert time.perf_counter() - start < 30
    assert values_of(report) == rep.values and report.ok

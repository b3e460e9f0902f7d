"""Corrections as data: RAW_DIR/corrections.csv fixes a number the report printed wrong, at build time."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

import govstats
from govstats.errors import GovstatsError
from govstats.schema.outputs import HEADERS
from govstats.testing import synthetic
from govstats.util.hashing import sha256_file

KEY = ("requests", "new_received", "total")
HEADER = "report,sha256,table,row,column,value,reason,who,date\n"


@pytest.fixture
def raw(tmp_path):
    """One report whose 本年新收 总计 is printed wrong: its applicant sum (勾稽) fails."""
    rep = synthetic.make_report(21, "临江市人民政府", 2022)
    right = int(rep.values[KEY])
    html = synthetic.render_html(rep).replace(f">{right}<", ">99999<", 1)
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "r.html").write_text(html, "utf-8")
    return tmp_path / "raw", right


def _state(out):
    cells = pd.read_parquet(out / "cells.parquet")
    checks = pd.read_parquet(out / "checks.parquet")
    cell = cells[(cells["table"] == KEY[0]) & (cells["row"] == KEY[1]) & (cells["column"] == KEY[2])].iloc[0]
    check = checks[(checks["rule"] == "requests.applicant_sum") & (checks["row"] == KEY[1])].iloc[0]
    errors = int(pd.read_parquet(out / "reports.parquet")["errors_failed"].iloc[0])
    return cell, bool(check["passed"]), errors


def test_a_correction_fixes_a_broken_identity_and_removing_it_restores_the_original(raw, tmp_path):
    raw, right = raw
    out = tmp_path / "out"
    govstats.build(raw, out, jobs=1, progress=False)
    cell, passed, errors = _state(out)
    assert (cell["value"], cell["printed"], cell["flag"], passed) == (99999, "99999", "", False)
    assert errors >= 1

    sha = sha256_file(raw / "r.html")
    (raw / "corrections.csv").write_text(HEADER + f"r.html,{sha},requests,new_received,total,{right},"
                                         "the six applicant columns add up to it,Li,2025-03-01\n", "utf-8")
    result = govstats.build(raw, out, jobs=1, progress=False)
    assert result.read == 0  # from the cache: only the corrections changed
    cell, passed, fixed_errors = _state(out)
    assert (cell["value"], cell["printed"], cell["flag"], passed) == (right, "99999", "corrected", True)
    assert cell["correction"] == "the six applicant columns add up to it (Li, 2025-03-01; read 99999)"
    assert fixed_errors < errors
    assert "1 of 1 corrections (corrections.csv) applied" in result.summary
    _the_workbook_lists_it(out, tmp_path / "summary.xlsx", right)

    (raw / "corrections.csv").unlink()
    govstats.build(raw, out, jobs=1, progress=False)
    cell, passed, again = _state(out)
    assert (cell["value"], cell["printed"], cell["flag"], passed, again) == (99999, "99999", "", False, errors)
    assert pd.isna(cell["correction"])


def _the_workbook_lists_it(out, path, right):
    from govstats.export import export_excel
    from govstats.export.labels import EXPORT_SHEETS

    export_excel(govstats.load(out), path)
    ws = openpyxl.load_workbook(path)[EXPORT_SHEETS["corrections"]]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    head = rows[0]
    assert len(rows) == 2
    got = dict(zip(head, rows[1]))
    assert (got[HEADERS["printed"]], got[HEADERS["value"]], got[HEADERS["row"]]) == ("99999", right, "new_received")
    assert got[HEADERS["correction"]].startswith("the six applicant columns add up to it")


def test_a_correction_of_a_changed_report_is_reported_not_applied(raw, tmp_path):
    raw, right = raw
    (raw / "corrections.csv").write_text(
        HEADER + f"r.html,{'0' * 64},requests,new_received,total,{right},checked by hand,,\n"
        f"gone.html,,requests,new_received,total,1,a file since removed,,\n", "utf-8")
    result = govstats.build(raw, tmp_path / "out", jobs=1, progress=False)
    cell, passed, _ = _state(tmp_path / "out")
    assert (cell["value"], cell["flag"], passed) == (99999, "", False)
    assert "0 of 2 corrections (corrections.csv) applied" in result.summary
    assert "warning: corrections.csv line 2 not applied: r.html changed since the correction was written" \
        in result.summary
    assert "warning: corrections.csv line 3 not applied: no report 'gone.html'" in result.summary


@pytest.mark.parametrize("line, problem", [
    ("r.html,,requests,new_received,nowhere,1,why,,", "line 2: requests.new_received.nowhere is not a cell"),
    ("r.html,,requests,new_received,total,many,why,,", "line 2: value 'many' is not a number"),
    ("r.html,,requests,new_received,total,1,,,", "line 2: needs report and reason"),
])
def test_a_bad_corrections_line_stops_the_build_naming_it(raw, tmp_path, line, problem):
    raw, _ = raw
    (raw / "corrections.csv").write_text(HEADER + line + "\n", "utf-8")
    with pytest.raises(GovstatsError, match=problem):
        govstats.build(raw, tmp_path / "out", jobs=1, progress=False)

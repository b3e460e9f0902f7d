"""`recheck`: a report's checks evaluated again on its cells (after a correction) are the checks it had."""

from __future__ import annotations

import pandas as pd
from helpers import CORPUS

import govstats
from govstats.checks.rules import recheck
from govstats.testing import synthetic


def test_unchanged_cells_give_back_the_very_same_checks():
    for path in (CORPUS / "huaian-shizhengfu-2024.pdf", CORPUS / "gongshu-shenguanban-2022.txt"):
        r = govstats.read_report(path)
        pd.testing.assert_frame_equal(recheck(r.cells, r.checks), r.checks)


def test_a_changed_value_changes_the_identities_that_add_it(write):
    rep = synthetic.make_report(4, "某某县交通运输局", 2022)
    r = govstats.read_report(write("r.html", synthetic.render_html(rep)))
    cells = r.cells.copy()
    at = (cells["table"] == "requests") & (cells["row"] == "granted") & (cells["column"] == "natural_person")
    cells.loc[at, "value"] += 1
    again = recheck(cells, r.checks)
    failed = again[~again["passed"]]
    assert set(zip(failed["rule"], failed["row"], failed["column"])) == {
        ("requests.applicant_sum", "granted", "total"), ("requests.outcomes_sum", "total_processed", "natural_person")}
    assert r.checks["passed"].all() or set(r.checks[~r.checks["passed"]]["rule"]) <= {"metadata.agency"}

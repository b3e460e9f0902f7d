"""Round trip of generated reports through the text dumps whose cells run together or lose blanks.

Every value either reads exactly (flag "", "blank" or "inferred") or is NaN with a failed check
on its row: never a wrong number. The share read exactly is printed per rendering (run with -s)
and held above a floor a little under what was measured, so a regression shows.
"""

from __future__ import annotations

import math
import random

import pytest

import govstats
from govstats.testing.synthetic import make_report, render_text

SEEDS = range(5)
YEARS = (2020, 2022)  # the 2019 and the 2021 template
# (style, blank cells vanish, floor of the share read exactly)
RENDERINGS = [("glued", False, 0.75), ("glued", True, 0.15), ("oneline", False, 1.0), ("oneline", True, 0.3),
              ("layout", True, 0.3)]


def _report(seed: int, year: int, drop: bool):
    rep = make_report(seed, year=year)
    if drop:  # about half the zero cells printed empty: in these dumps they vanish
        rng = random.Random(seed)
        rep.blanks = {k for k, v in rep.values.items() if v == 0 and rng.random() < 0.5}
    return rep


@pytest.mark.parametrize(("style", "drop", "floor"), RENDERINGS, ids=[f"{s}{'-drop' if d else ''}"
                                                                       for s, d, _ in RENDERINGS])
def test_every_value_exact_or_nan_with_a_failed_check(tmp_path, style, drop, floor):
    exact = total = 0
    for seed in SEEDS:
        for year in YEARS:
            rep = _report(seed, year, drop)
            path = tmp_path / f"{seed}-{year}.txt"
            path.write_text(render_text(rep, style, drop_blanks=drop), "utf-8")
            report = govstats.read_report(path)
            cells = {(t, r, c): (v, f) for t, r, c, v, f in
                     report.cells[["table", "row", "column", "value", "flag"]].itertuples(index=False)}
            failed = report.checks[~report.checks["passed"] & (report.checks["severity"] == "error")]
            failed_rows = set(zip(failed["table"], failed["row"]))
            for key, want in rep.values.items():
                total += 1
                value, flag = cells.get(key, (math.nan, "absent"))
                if math.isnan(value):
                    assert key[:2] in failed_rows, f"{style} seed {seed} {year}: {key} NaN without a failed check"
                    continue
                assert value == pytest.approx(want), f"{style} seed {seed} {year}: {key} read {value} ({flag})"
                assert flag in ("", "blank", "inferred")
                assert flag == "inferred" or not drop or key not in rep.blanks
                exact += 1
    share = exact / total
    print(f"\n{style}{' (blank cells vanish)' if drop else ''}: {share:.1%} of {total} values read exactly")
    assert share >= floor


def test_inferred_values_are_reported_as_warnings(tmp_path):
    rep = make_report(0, year=2022)
    path = tmp_path / "glued.txt"
    path.write_text(render_text(rep, "glued"), "utf-8")
    report = govstats.read_report(path)
    cells = report.cells.set_index(["table", "row", "column"])
    assert cells.loc[("requests", "new_received", "total"), "flag"] == "inferred"
    assert cells.loc[("requests", "new_received", "total"), "printed"] == "3211524212027428"
    inferred = report.checks[report.checks["rule"] == "value.inferred"]
    assert (inferred["severity"] == "warning").all() and "new_received" in set(inferred["row"])

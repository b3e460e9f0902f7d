"""The Pingtan series across the 2019 break: a build of its real reports, 2011 to 2025, in one panel."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import CORPUS

from govstats.analysis import harmonised_series
from govstats.analysis.plots import harmonised
from govstats.dataset import build, load

AGENCY = "平潭综合实验区"


@pytest.fixture(scope="module")
def panel(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("pingtan")
    shutil.copytree(CORPUS / "pingtan", tmp / "raw" / "pingtan")
    build(tmp / "raw", tmp / "out", jobs=2, progress=False)
    return load(tmp / "out")


def test_legacy_reports_are_ok_and_in_the_panel(panel):
    reports = panel.reports.set_index(panel.reports["path"].map(lambda p: Path(p).stem))
    assert (reports.loc[["005-pingtan-2011", "006-pingtan-2013"], "status"] == "ok").all()
    legacy = panel.panel[panel.panel["table"] == "legacy"]
    assert sorted(set(legacy["year"].astype(int))) == [2011, 2013]


def test_the_harmonised_series_runs_from_2011_to_2025_with_the_break_at_2019(panel):
    p = panel.panel
    agency_id = str(p.loc[p["agency"] == AGENCY, "agency_id"].iloc[0])
    assert set(p.loc[p["agency"] == AGENCY, "agency_id"].astype(str)) == {agency_id}  # one agency across the break
    s = harmonised_series(p, "requests", agency_id)
    read = s[s["basis"] != ""]
    assert list(zip(read["year"], read["value"], read["basis"], strict=True)) == [
        (2011, 0.0, "legacy"), (2013, 0.0, "legacy"), (2019, 23.0, "national"), (2023, 81.0, "national"),
        (2024, 218.0, "national"), (2025, 154.0, "national")]
    assert list(s["year"]) == list(range(2008, 2026))
    assert list(s.loc[s["definition_break"], "year"]) == [2019]
    assert "本年新收" in s.loc[s["definition_break"], "difference"].iloc[0]
    fig = harmonised(s)
    assert any(line.get_linestyle() == "--" for line in fig.axes[0].lines)  # the legacy years drawn apart


def test_a_measure_without_a_legacy_counterpart_is_refused(panel):
    with pytest.raises(ValueError, match="unknown measure 'fees'"):
        harmonised_series(panel.panel, "fees")

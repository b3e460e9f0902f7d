"""The agency register through a build: real reports, manifest agencies, overrides, `govstats agencies`."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from helpers import CORPUS, FIXTURES, TRUTH

import govstats
from govstats.cli import main

SHARED = next((p for p in (Path(__file__).resolve().parents[3] / "shared" / "corpus", Path("/work/shared/corpus"))
               if p.is_dir()), None)
EXPECTED = {r["file"]: r for r in csv.DictReader(open(FIXTURES / "agencies.csv", encoding="utf-8"))}
COLUMNS = ("agency_id", "agency_level", "agency_parent", "division_code")
NO_URL = "excerpts/001.txt"  # prints no agency (only 我办); the manifest names it, without a URL


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    """Every corpus report with a manifest row holding its URL (and, for NO_URL, only the agency)."""
    if SHARED is None:
        pytest.skip("the pingtan series is in the shared corpus only")
    raw = tmp_path_factory.mktemp("agencies") / "raw"
    rows = []
    for file in EXPECTED:
        source = CORPUS / file if (CORPUS / file).exists() else SHARED / file
        (raw / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, raw / file)
        truth = (TRUTH / file).with_suffix(".json")
        meta = json.loads((truth if truth.exists() else (SHARED / file).with_suffix(".json")).read_text("utf-8"))
        rows.append({"path": file, "url": "" if file == NO_URL else meta["url"],
                     "agency": meta["agency"] if file == NO_URL else ""})
    with open(raw / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, ["url", "agency", "path"])
        writer.writeheader()
        writer.writerows(rows)
    return raw


def _build(raw: Path, out: Path):
    result = govstats.build(raw, out, jobs=2, progress=False)
    return result, result.reports.set_index("path")


def test_every_report_resolves_and_the_pingtan_series_is_one_agency(raw, tmp_path):
    _, reports = _build(raw, tmp_path / "out")
    for file, want in EXPECTED.items():
        got = reports.loc[file]
        assert {k: got[k] if isinstance(got[k], str) else "" for k in COLUMNS} == {k: want[k] for k in COLUMNS}, \
            (file, got["agency_note"])
    pingtan = reports[reports.index.str.startswith("pingtan/")]
    assert set(pingtan["agency_id"]) == {"pingtan"} and set(pingtan["agency_name"]) == {"平潭综合实验区"}
    assert pingtan["year"].nunique() == 6
    assert pd.isna(reports.loc[NO_URL, "agency"]) and reports.loc[NO_URL, "agency_source"] == "manifest"
    assert reports.loc["excerpts/017.txt", "agency"] == "区统计局" and pd.isna(reports.loc["excerpts/017.txt", "agency_id"])



def test_the_panel_is_keyed_on_the_register_agency(raw, tmp_path):
    """Pingtan is one agency over its six years; the report that prints no agency is in the panel under the
    manifest's; an unresolved report keeps its printed name, qualified by its site."""
    _, reports = _build(raw, tmp_path / "out")
    panel = govstats.load(tmp_path / "out").panel
    years = panel.drop_duplicates(["agency_id", "year", "report_id"])
    pingtan = years[years["agency_id"] == "pingtan"]
    assert sorted(pingtan["year"]) == [2011, 2013, 2019, 2023, 2024, 2025]
    assert set(pingtan["agency"]) == {"平潭综合实验区"}
    assert not years.duplicated(["agency_id", "year"]).any()
    no_name = years[years["report_id"] == reports.loc[NO_URL, "report_id"]]
    assert no_name[["agency_id", "agency"]].astype(str).values.tolist() == [["hanyang-office", "武汉市汉阳区人民政府办公室"]]
    unresolved = years[years["report_id"] == reports.loc["excerpts/017.txt", "report_id"]]
    assert unresolved["agency_id"].astype(str).tolist() == ["区统计局"]  # no other site prints 区统计局


def test_unresolved_reports_keep_their_name_and_fail_a_warning(raw, tmp_path):
    _, reports = _build(raw, tmp_path / "out")
    checks = govstats.load(tmp_path / "out").checks
    rows = checks[checks["rule"] == "metadata.agency_resolved"].set_index("report_id")
    assert len(rows) == len(reports) and set(rows["severity"]) == {"warning"}  # one per report read
    unresolved = reports[reports["agency_id"].isna()]
    # what they print (区统计局, 审计局, only 我局) and the sites they came from (a bare IP, a mirror) say
    # no more, and the fetch list names none of them: never attached to a district by guess
    assert sorted(unresolved.index) == ["excerpts/017.txt", "excerpts/021.txt", "excerpts/027.txt"]
    assert sorted(rows.index[~rows["passed"]]) == sorted(unresolved["report_id"])
    assert rows.loc[reports.loc["excerpts/017.txt", "report_id"], "message"].startswith("区统计局: unresolved")
    assert rows.loc[reports.loc["excerpts/021.txt", "report_id"], "message"].startswith("no name printed")


def test_an_override_changes_the_agency_on_the_next_build_and_agencies_shows_it(raw, tmp_path, capsys):
    out = tmp_path / "out"
    _build(raw, out)
    (raw / "overrides.csv").write_text(
        "report,field,value,reason\nexcerpts/001.txt,agency,hanyang,checked on the site\n"
        "excerpts/005.txt,year,2017,a test\nexcerpts/0O5.txt,year,2018,a typo\n", "utf-8")
    try:
        result, reports = _build(raw, out)
        assert result.read == 0  # every file from the cache: only the overrides changed
        assert "warning: overrides.csv: 'excerpts/0O5.txt' is no report of this build" in result.summary
        assert reports.loc["excerpts/001.txt", ["agency_id", "agency_source", "overrides"]].tolist() == \
            ["hanyang", "override", "agency=hanyang (checked on the site)"]
        cells = govstats.load(out).cells
        assert set(cells.loc[cells["report_id"] == reports.loc["excerpts/005.txt", "report_id"], "year"]) == {2017}
        assert reports.loc["excerpts/005.txt", ["year", "overrides"]].tolist() == [2017, "year=2017 (a test)"]
        assert main(["agencies", str(out)]) == 0
        shown = capsys.readouterr().out
        assert "excerpts/001.txt: printed - → hanyang 武汉市汉阳区人民政府 [county" in shown
        assert "by override" in shown and "overrides: agency=hanyang (checked on the site)" in shown
        assert main(["agencies", str(out), "--unresolved"]) == 0
        assert "excerpts/001.txt" not in capsys.readouterr().out
    finally:
        (raw / "overrides.csv").unlink()
    _, reports = _build(raw, out)  # the override removed: the next build drops it too
    assert reports.loc["excerpts/001.txt", ["agency_id", "agency_source"]].tolist() == ["hanyang-office", "manifest"]
    assert reports.loc["excerpts/005.txt", "year"] == 2020

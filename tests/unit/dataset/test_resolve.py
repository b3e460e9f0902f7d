"""Agency resolution (override → manifest → printed name → site) and overrides.csv, on the corpus's metadata."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from helpers import FIXTURES, TRUTH

from govstats.dataset.resolve import Corrections, read_overrides, resolve
from govstats.dataset.sources import Source
from govstats.errors import GovstatsError

SHARED = next((p for p in (Path(__file__).resolve().parents[4] / "shared" / "corpus", Path("/work/shared/corpus"))
               if p.is_dir()), None)
EXPECTED = {r["file"]: r for r in csv.DictReader(open(FIXTURES / "agencies.csv", encoding="utf-8"))}


def _meta(file: str) -> dict:
    """The corpus JSON of a report: its true agency name (as printed, or from the site) and URL."""
    truth = (TRUTH / file).with_suffix(".json")
    if not truth.exists():  # the pingtan series is in the shared corpus only
        if SHARED is None:
            pytest.skip("the shared corpus is not beside the repository")
        truth = (SHARED / file).with_suffix(".json")
    return json.loads(truth.read_text("utf-8"))


@pytest.mark.parametrize("file", sorted(EXPECTED))
def test_every_corpus_report_resolves_to_its_register_agency(file):
    meta, want = _meta(file), EXPECTED[file]
    got = resolve(meta["agency"], meta["url"]).columns()
    assert {k: got[k] or "" for k in ("agency_id", "agency_level", "agency_parent", "division_code")} == \
        {k: want[k] for k in ("agency_id", "agency_level", "agency_parent", "division_code")}, got["agency_note"]
    assert (got["agency_source"] is None) == (not want["agency_id"])


def test_the_pingtan_series_is_one_agency_whatever_name_a_year_prints():
    url = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202403/t.htm"
    names = ["平潭综合实验区", "平潭综合实验区管委会", "平潭综合实验区管理委员会", "平潭综合實驗區管委會", None]
    assert {resolve(name, url).agency.agency_id for name in names} == {"pingtan"}


def test_the_order_override_manifest_report_site():
    url = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202403/t.htm"
    assert resolve(None, url).source == "site"
    assert resolve("平潭综合实验区管委会", url).source == "report"
    assert resolve("平潭综合实验区管委会", url, manifest="平潭综合实验区").source == "manifest"
    found = resolve("平潭综合实验区管委会", url, manifest="平潭综合实验区", override="huaian")
    assert (found.source, found.agency and found.agency.agency_id) == ("override", "huaian")
    assert resolve("某某镇人民政府", url).agency is None  # a site never renames a report that prints another name
    with pytest.raises(GovstatsError, match="neither an id nor a name"):
        resolve(None, None, override="某局")


def test_short_names_need_a_parent():
    assert resolve("区统计局", None).agency is None
    assert resolve("两城镇人民政府", None).agency is None  # a 两城镇 of somewhere else would look the same
    found = resolve("两城镇人民政府", "http://www.weishan.gov.cn/a.html")
    assert found.agency is not None and found.agency.agency_id == "weishan-liangcheng"
    assert "confirmed by the site weishan.gov.cn" in found.note


def test_a_site_with_a_path_confirms_only_below_it():
    """A mirror serves many bodies' sites on one host: only 金山镇's own path names 临淄区金山镇 (excerpt 052)."""
    mine = resolve("金山镇人民政府", "http://www.021jzzz.com/gongkai/site_lzqjszrmzf/channel_x/doc_y.html")
    assert mine.agency is not None and mine.agency.agency_id == "linzi-jinshan"
    assert resolve("金山镇人民政府", "http://www.021jzzz.com/gongkai/site_other/doc_y.html").agency is None


def _source(rel: str, url: str | None = None, agency: str | None = None) -> Source:
    return Source(Path(rel), rel, "0" * 64, 1, False, url, None, agency)


def test_overrides_apply_by_path_or_report_id(tmp_path):
    (tmp_path / "overrides.csv").write_text(
        "report,field,value,reason\na.txt,agency,pingtan,the site's archive\n0000000000000000,year,2019,title typo\n",
        "utf-8")
    fix = Corrections(tmp_path)
    row = fix.row(_source("a.txt"), {"report_id": "0000000000000000", "agency": None, "year": 2020,
                                     "template": "2019"})
    assert (row["agency_id"], row["agency_source"], row["year"]) == ("pingtan", "override", 2019)
    assert row["overrides"] == "agency=pingtan (the site's archive); year=2019 (title typo)"
    assert fix.row(_source("b.txt"), {"report_id": "1" * 16, "agency": None, "year": 2020,
                                      "template": "2019"})["overrides"] is None
    assert fix.summary() == []  # both rows matched a report


def test_an_override_that_matches_no_report_is_a_warning(tmp_path):
    (tmp_path / "overrides.csv").write_text("report,field,value,reason\nexcerpts/0O1.txt,agency,pingtan,typo\n", "utf-8")
    fix = Corrections(tmp_path)
    fix.row(_source("excerpts/001.txt"), {"report_id": "0" * 16, "agency": None, "year": 2020, "template": "2019"})
    assert fix.summary() == ["warning: overrides.csv: 'excerpts/0O1.txt' is no report of this build (a path below "
                             "RAW_DIR or a report id): agency=pingtan (typo) not applied"]


@pytest.mark.parametrize("line, message", [
    ("a.txt,agency,,x", "needs report"), ("a.txt,name,x,y", "needs report"), ("a.txt,year,20x1,", "not a number"),
    ("a.txt,template,2030,", "not one of"),
])
def test_a_bad_overrides_file_is_refused(tmp_path, line, message):
    (tmp_path / "overrides.csv").write_text(f"report,field,value,reason\n{line}\n", "utf-8")
    with pytest.raises(GovstatsError, match=message):
        read_overrides(tmp_path)

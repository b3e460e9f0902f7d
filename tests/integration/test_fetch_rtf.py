"""An RTF attachment end to end: fetched from a 127.0.0.1 fixture site under its own name, then read by
`govstats build` (LibreOffice converts RTF to DOCX, so these tests need soffice)."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fetch_site import Site, notice_page

import govstats
from govstats.cli import main
from govstats.fetch import Fetcher, Job, Policy
from govstats.testing import office, synthetic

FAST = {"interval": 0.0, "timeout": 5.0, "retries": 0, "backoff": 0.01, "allow_private": True}
AGENCY, YEAR = "某某市交通运输局", 2022
pytestmark = pytest.mark.skipif(shutil.which("soffice") is None and "CI" not in os.environ,
                                reason="LibreOffice (soffice) is not installed; `make system-deps` installs it")


def as_rtf(rep: synthetic.SyntheticReport, folder: Path) -> bytes:
    """The report as Word would save it in RTF: rendered as DOCX, converted by LibreOffice."""
    folder.mkdir()
    data = office.convert_with_soffice(office.render_docx(rep, folder / "report.docx"), "rtf", folder).read_bytes()
    assert data.startswith(b"{\\rtf")
    return data


def test_an_rtf_attachment_is_fetched_by_its_name_and_built(tmp_path):
    reps = {name: synthetic.make_report(seed, AGENCY, year) for name, seed, year in [("2022nb", 11, YEAR),
                                                                                      ("2021nb", 12, YEAR - 1)]}
    rtf = {name: as_rtf(rep, tmp_path / name) for name, rep in reps.items()}
    site = Site()
    try:
        site.add("/robots.txt", "", "text/plain")
        site.add("/files/2022nb.rtf", rtf["2022nb"], "application/rtf")
        site.add("/files/download?id=9", rtf["2021nb"], "application/octet-stream",
                 headers={"Content-Disposition": 'attachment; filename="2021nb.rtf"'})
        notice = site.add("/notice/1.html", notice_page(f"{AGENCY}{YEAR}年政府信息公开工作年度报告", [
            ("/files/2022nb.rtf", "附件（RTF）")]))
        raw = tmp_path / "raw"
        with Fetcher(raw, Policy(**FAST), progress=False) as f:  # an attachment, and a listed download link
            f.fetch_list([Job(notice, agency=AGENCY, year=str(YEAR)),
                          Job(site.url("/files/download?id=9"), agency=AGENCY, year=str(YEAR - 1))])
    finally:
        site.close()
    with (raw / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        rows = {urlsplit(r["url"]).path + (f"?{urlsplit(r['url']).query}" if urlsplit(r["url"]).query else ""): r
                for r in csv.DictReader(fh)}
    assert rows["/files/2022nb.rtf"]["path"] == f"{AGENCY}/{YEAR}/2022nb.rtf"
    assert rows["/files/download?id=9"]["path"] == f"{AGENCY}/{YEAR - 1}/2021nb.rtf"
    assert (raw / rows["/files/2022nb.rtf"]["path"]).read_bytes() == rtf["2022nb"]

    assert main(["build", str(raw), "--out", str(tmp_path / "processed"), "--jobs", "1"]) == 0
    ds = govstats.load(tmp_path / "processed")
    reports = ds.reports[ds.reports["format"] == "rtf"]
    names = reports["path"].map(lambda p: Path(p).stem)
    assert sorted(names) == sorted(reps) and set(reports["status"]) == {"ok"}
    for rid, name in zip(reports["report_id"], names):
        rep, cells = reps[name], ds.cells[ds.cells["report_id"] == rid]
        assert (str(cells["agency"].iloc[0]), int(cells["year"].iloc[0])) == (AGENCY, rep.year)
        got = {(t, r, c): v for t, r, c, v in zip(cells["table"], cells["row"], cells["column"], cells["value"])}
        assert got == {k: float(v) for k, v in rep.values.items()}

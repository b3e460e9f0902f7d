"""`govstats review` writes a page that a real browser (headless Chromium) renders: no console error, every
picture displayed. Skipped only where no Chromium can be installed (`make system-deps` installs it); in CI
(CI set) it runs, and fails without one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import ROOT

from govstats import cli
from govstats.testing import synthetic

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _browser():
    """Playwright driving the system Chromium (never a downloaded one), or a skip saying what is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if CHROMIUM is None or sync_playwright is None:
        if "CI" in os.environ:
            pytest.fail("headless Chromium and playwright are needed in CI: `make system-deps` and `make test`")
        pytest.skip("no Chromium (apt-get install chromium, or `make system-deps`) or no playwright (pip)")
    return sync_playwright()


def render(page_path: Path, profile: Path, screenshot: Path | None = None) -> dict:
    """Open the page in headless Chromium (a fresh profile): its console errors, page errors, each picture's
    natural width (0: not displayed), the report headings and the prepared correction lines."""
    with _browser() as p:
        browser = p.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=FLAGS,
                                                       viewport={"width": 1280, "height": 1600})
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_path.as_uri(), wait_until="load")
            widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
            headings = page.eval_on_selector_all("h2", "hs => hs.map(h => h.textContent)")
            lines = page.eval_on_selector_all("pre.line", "ps => ps.map(p => p.textContent)")
            if screenshot is not None:
                page.screenshot(path=str(screenshot), full_page=False)
        finally:
            browser.close()
    return {"errors": errors, "widths": widths, "headings": headings, "lines": lines}


def test_the_review_page_of_the_bundled_sample_renders_in_chromium(tmp_path, capsys):
    out = tmp_path / "review.html"
    assert cli.main(["review", str(ROOT / "data" / "raw"), "-o", str(out), "--out", str(tmp_path / "built")]) == 0
    assert "reports with failed checks" in capsys.readouterr().out
    seen = render(out, tmp_path / "profile", tmp_path / "shot.png")
    assert seen["errors"] == []
    assert len(seen["widths"]) >= 5 and all(w > 0 for w in seen["widths"])
    assert "corpus/excerpts/001.txt" in seen["headings"]  # a real excerpt cut off before its tables end
    assert (tmp_path / "shot.png").stat().st_size > 10_000


def test_a_misprinted_total_gets_its_picture_and_a_line_that_fixes_it(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    rep = synthetic.make_report(21, "临江市人民政府", 2022)
    right = int(rep.values[("requests", "new_received", "total")])
    (raw / "r.html").write_text(synthetic.render_html(rep).replace(f">{right}<", ">99999<", 1), "utf-8")
    assert cli.main(["review", str(raw), "-o", str(tmp_path / "review.html")]) == 0
    seen = render(tmp_path / "review.html", tmp_path / "profile")
    assert seen["errors"] == [] and seen["widths"] and all(w > 0 for w in seen["widths"])
    line = next(x for x in seen["lines"] if ",requests,new_received,total," in x)
    (raw / "corrections.csv").write_text("report,sha256,table,row,column,value,reason,who,date\n"
                                         + line.removesuffix(",,") + ",me,2025-01-01" + "\n", "utf-8")
    assert f",requests,new_received,total,{right}," in line
    assert cli.main(["review", str(raw), "-o", str(tmp_path / "again.html")]) == 0
    assert "requests.applicant_sum" not in (tmp_path / "again.html").read_text("utf-8")

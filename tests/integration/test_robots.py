"""robots.txt as RFC 9309 reads it: `*` wildcards, `$` end anchors, the longest match wins, groups by
product token. Every case asks a 127.0.0.1 fixture site (tests/fetch_site.py) through the real client.
"""

from __future__ import annotations

import csv
from urllib.parse import urlsplit

import pytest
from fetch_site import Site, docx, notice_page, pdf

from govstats.fetch import Fetcher, Job, Policy
from govstats.fetch.client import Client
from govstats.fetch.safety import Scope
from govstats.limits import LIMITS

FAST = {"interval": 0.0, "timeout": 1.0, "retries": 0, "backoff": 0.01, "allow_private": True}
# RFC 9309, section 5.1 (the example file)
RFC_EXAMPLE = """User-Agent: *
Disallow: *.gif$
Disallow: /example/
Allow: /publications/

User-Agent: foobot
Disallow:/
Allow:/example/page.html
Allow:/example/allowed.gif

User-Agent: barbot
User-Agent: bazbot
Disallow: /example/page.html

User-Agent: quxbot

EOF
"""


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


def allowed(site: Site, robots: str, paths: list[str], agent: str = "govstats/1.0 (research)") -> dict[str, bool]:
    """Which paths a fresh client may fetch from `site` serving `robots`."""
    site.add("/robots.txt", robots, "text/plain")
    scope = Scope()
    scope.add(site.url("/"))
    client = Client(Policy(**FAST, user_agent=agent), scope)
    return {p: client.request(site.url(p)).error != "robots.txt" for p in paths}


def test_the_rfc_example_by_user_agent_group(site):
    paths = ["/x.gif", "/example/a", "/publications/a", "/example/page.html", "/example/allowed.gif", "/other"]
    expected = {
        "govstats/1.0 (research)": [False, False, True, False, False, True],  # the * group
        "foobot/2.1": [False, False, False, True, True, False],
        "barbot": [True, True, True, False, True, True],  # two user-agent lines, one group
        "bazbot": [True, True, True, False, True, True],
        "quxbot": [True] * 6,  # a group with no rules allows everything
    }
    for agent, want in expected.items():
        assert allowed(site, RFC_EXAMPLE, paths, agent) == dict(zip(paths, want)), agent


def test_wildcards_and_end_anchors(site):
    robots = "User-agent: *\nDisallow: /*.pdf$\nDisallow: /private*/draft\n"
    assert allowed(site, robots, ["/a/report.pdf", "/report.pdf", "/a/report.pdf?download=1", "/a/report.pdfx",
                                  "/a/report.html", "/private-2023/draft.docx", "/private/final.docx"]) == {
        "/a/report.pdf": False, "/report.pdf": False,
        "/a/report.pdf?download=1": True, "/a/report.pdfx": True,  # $ anchors the end of path and query
        "/a/report.html": True, "/private-2023/draft.docx": False, "/private/final.docx": True}


def test_the_longest_match_wins_and_allow_wins_a_tie(site):
    assert allowed(site, "User-agent: *\nAllow: /p\nDisallow: /\n", ["/page", "/other"]) == {
        "/page": True, "/other": False}
    assert allowed(site, "User-agent: *\nAllow: /folder\nDisallow: /folder\n", ["/folder/page"]) == {
        "/folder/page": True}
    assert allowed(site, "User-agent: *\nAllow: /page\nDisallow: /*.htm\n", ["/page.htm", "/page"]) == {
        "/page.htm": False, "/page": True}
    assert allowed(site, "User-agent: *\nAllow: /$\nDisallow: /\n", ["/", "/page.htm"]) == {
        "/": True, "/page.htm": False}


def test_our_own_group_replaces_the_star_group(site):
    robots = "User-agent: *\nDisallow: /\n\nUser-agent: govstats\nDisallow: /search/\n"
    assert allowed(site, robots, ["/reports/1.html", "/search/?q=x"]) == {"/reports/1.html": True,
                                                                          "/search/?q=x": False}
    assert allowed(site, robots, ["/reports/1.html"], agent="otherbot") == {"/reports/1.html": False}


def test_rules_past_the_size_cap_are_not_read(site):
    padding = "# " + "x" * 78 + "\n"
    robots = "User-agent: *\nDisallow: /early/\n" + (padding * (LIMITS.max_robots_bytes // len(padding) + 1)
              + "Disallow: /late/\n")
    assert allowed(site, robots, ["/early/a.pdf", "/late/a.pdf"]) == {"/early/a.pdf": False, "/late/a.pdf": True}


def test_a_disallowed_attachment_is_not_fetched_and_the_manifest_says_why(site, tmp_path):
    site.add("/robots.txt", "User-agent: *\nDisallow: /*.pdf$\n", "text/plain")
    site.add("/files/2022nb.pdf", pdf("report"), "application/pdf")
    site.add("/files/2022nb.docx", docx("report"), "application/vnd.openxmlformats-officedocument."
                                                   "wordprocessingml.document")
    notice = site.add("/notice/1.html", notice_page("测试局2022年政府信息公开工作年度报告", [
        ("/files/2022nb.pdf", "附件（PDF）"), ("/files/2022nb.docx", "附件（Word）")]))
    with Fetcher(tmp_path, Policy(**FAST), progress=False) as f:
        f.fetch_list([Job(notice, agency="测试局", year="2022")])
    with (tmp_path / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        rows = {urlsplit(r["url"]).path: r for r in csv.DictReader(fh)}
    assert (rows["/files/2022nb.pdf"]["error"], rows["/files/2022nb.pdf"]["path"]) == ("robots.txt", "")
    assert rows["/files/2022nb.docx"]["error"] == "" and rows["/files/2022nb.docx"]["path"]
    assert (tmp_path / rows["/files/2022nb.docx"]["path"]).read_bytes() == docx("report")
    assert site.hits["/files/2022nb.pdf"] == 0 and site.hits["/files/2022nb.docx"] == 1

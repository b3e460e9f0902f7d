"""govstats fetch / crawl against fixture sites on 127.0.0.1 (tests/fetch_site.py).

Every test asserts what the servers saw (hits per path) and what the manifest and
data/raw hold afterwards, byte for byte.
"""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fetch_site import (
    AGENCY,
    Plan,
    Site,
    docx,
    generic_site,
    gkmlpt_site,
    hanweb_site,
    notice_page,
    pdf,
    report_page,
    trs_site,
)
from helpers import ROOT

from govstats.cli import main
from govstats.fetch import Fetcher, Job, Policy
from govstats.fetch.client import retry_after
from govstats.fetch.manifest import COLUMNS, Manifest
from govstats.fetch.platforms import Page, detect, is_document_url, report_year, title_agency
from govstats.fetch.safety import disposition_name, file_name, safe_name
from govstats.formats import SUFFIXES

FAST = dict(interval=0.0, timeout=1.0, retries=2, backoff=0.01, allow_private=True)


@pytest.fixture
def sites():
    site, other = Site(stall=3.0), Site()
    yield site, other
    site.close()
    other.close()


def crawl(plan: Plan, out: Path, **kw) -> Fetcher:
    with Fetcher(out, Policy(**FAST), progress=False, revalidate=kw.pop("revalidate", False)) as f:
        f.crawl(plan.start, **kw)
    return f


def manifest(out: Path) -> list[dict[str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def by_path(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """Document rows keyed by URL path (+query)."""
    out = {}
    for r in rows:
        if r["kind"] != "list":
            parts = urlsplit(r["url"])
            out[parts.path + (f"?{parts.query}" if parts.query else "")] = r
    return out


# ---------------------------------------------------------------------- every platform
PLATFORM_SITES = {"trs": trs_site, "hanweb": hanweb_site, "gkmlpt": gkmlpt_site, "generic": generic_site}


@pytest.mark.parametrize("platform", PLATFORM_SITES)
def test_crawl_fetches_each_report_once_byte_for_byte(platform, sites, tmp_path):
    site, other = sites
    build = PLATFORM_SITES[platform]
    plan = build(site, other) if platform == "trs" else build(site)
    first = site.url(plan.lists[0])
    assert detect(Page(first, site.routes[plan.lists[0]].body), plan.start) == platform

    f = crawl(plan, tmp_path)

    assert site.document_hits() == Counter(list(plan.documents) + plan.lists)  # each exactly once
    assert not set(plan.untouched) & set(site.hits)
    rows = manifest(tmp_path)
    docs = by_path(rows)
    assert {p for p, r in docs.items() if r["status"] == "200"} == set(plan.documents)
    for p, body in plan.documents.items():
        r = docs[p]
        assert (tmp_path / r["path"]).read_bytes() == body
        assert r["sha256"] == hashlib.sha256(body).hexdigest() and r["bytes"] == str(len(body))
        assert r["error"] == "" and r["attempts"] == "1" and r["year"] and r["title"]
    assert all(r["status"] == "200" for r in rows if r["kind"] == "list")
    assert f.summary.fetched == len(plan.documents) and f.summary.pages == len(plan.lists)
    assert not f.summary.failed


def test_trs_gbk_without_charset_paths_titles_and_off_site(sites, tmp_path):
    site, other = sites
    plan = trs_site(site, other)
    f = crawl(plan, tmp_path, agency="示例县")
    docs = by_path(manifest(tmp_path))
    base = "/zwgk/gknb/"
    assert {p.removeprefix(base): r["path"] for p, r in docs.items() if r["path"]} == {
        "202301/t20230119_1001.html": f"{AGENCY}/2022/t20230119_1001.html",
        "202201/t20220120_1003.html": f"{AGENCY}/2021/t20220120_1003.html",
        "202201/P020220120_1003.pdf": f"{AGENCY}/2021/P020220120_1003.pdf",
        "202201/P020220120_1003_2.docx": f"{AGENCY}/2021/P020220120_1003_2.docx",
        "202201/t20220110_1004.html": "某某县/2021/t20220110_1004.html",
        "202101/t20210125_1005.html": "示例县/2020/t20210125_1005.html",  # title starts with the year
        "202101/P020210125_1005.pdf": "示例县/2020/P020210125_1005.pdf",  # linked from a script
    }
    article = docs[base + "202201/t20220120_1003.html"]
    attachment = docs[base + "202201/P020220120_1003.pdf"]
    assert article["title"] == f"{AGENCY}2021年政府信息公开工作年度报告"  # decoded from GBK, no charset anywhere
    assert (attachment["kind"], attachment["parent"], attachment["title"]) == ("attachment", article["url"],
                                                                               article["title"])
    offsite = [r for r in docs.values() if r["error"]]
    assert [(r["url"], r["status"], r["error"]) for r in offsite] == [
        (other.url(base + "202101/t20210101_9.html"), "", "off-site")]
    assert not other.hits and f.summary.skipped == Counter({"off-site": 1})


def test_hanweb_posts_the_data_proxy_form_and_respects_max_pages(sites, tmp_path):
    site, _ = sites
    plan = hanweb_site(site)
    crawl(plan, tmp_path / "all")
    posts = [(path, form) for _, method, path, form in site.log if method == "POST"]
    assert [p for p, _ in posts] == [
        "/module/web/jpage/dataproxy.jsp?startrecord=4&endrecord=6&perpage=3",
        "/module/web/jpage/dataproxy.jsp?startrecord=7&endrecord=9&perpage=3",
    ]
    assert {k: posts[0][1][k] for k in ("col", "webid", "columnid", "unitid", "webname")} == {
        "col": "1", "webid": "3185", "columnid": "1229", "unitid": "5778", "webname": "某某县"}

    site.reset_counts()
    crawl(plan, tmp_path / "two", max_pages=2)
    fetched = {p for p, r in by_path(manifest(tmp_path / "two")).items() if r["path"]}
    assert fetched == {f"/art/2023/1/{i + 1}/art_1229_{100 + i}.html" for i in (0, 2, 3, 5)}  # records 1–6
    assert sum(1 for _, m, _, _ in site.log if m == "POST") == 1


# ---------------------------------------------------------------------- faults
def test_fetch_list_retries_refuses_and_records_every_outcome(sites, tmp_path, capsys):
    site, other = sites
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    report = report_page(3, "测试局", 2022)
    site.add("/ok/busy.html", report, faults=["503", "503"])
    site.add("/ok/slow.pdf", pdf("slow"), "application/pdf", faults=["timeout"])
    site.add("/ok/reset.pdf", pdf("reset"), "application/pdf", faults=["reset"])
    site.add("/bad/truncated.pdf", pdf("cut") * 50, "application/pdf", faults=["truncate"] * 9)
    site.add("/bad/loop-a.html", status=302, headers={"Location": "/bad/loop-b.html"})
    site.add("/bad/loop-b.html", status=302, headers={"Location": site.url("/bad/loop-a.html")})
    site.add("/private/secret.pdf", pdf("secret"), "application/pdf")
    site.add("/bad/missing.pdf", "<html><body><h1>404 页面不存在</h1></body></html>")  # an error page, status 200
    site.add("/files/download?id=7", pdf("traversal"), "application/pdf",
             headers={"Content-Disposition": 'attachment; filename="../../../evil.pdf"'})
    site.add("/old/report.pdf", status=301, headers={"Location": "/files/2022nb.pdf"})
    site.add("/files/2022nb.pdf", pdf("moved"), "application/pdf")
    site.add("/bad/big.pdf", pdf("big") + b"0" * 300_000, "application/pdf")
    site.add("/a/%E9%99%84%E4%BB%B6.pdf", pdf("first"), "application/pdf")  # 附件.pdf
    site.add("/b/%E9%99%84%E4%BB%B6.pdf", pdf("second"), "application/pdf")
    other_pdf = other.add("/files/x.pdf", pdf("other host"), "application/pdf")
    other.add("/robots.txt", "", "text/plain")
    site.add("/notice/1.html", notice_page("测试局2022年政府信息公开工作年度报告", [
        ("/a/%E9%99%84%E4%BB%B6.pdf", "附件"), ("/b/%E9%99%84%E4%BB%B6.pdf", "附件"), (other_pdf, "附件（镜像）"),
        (other.url("/page.html"), "相关链接")]))
    urls = ["/ok/busy.html", "/ok/slow.pdf", "/ok/reset.pdf", "/bad/truncated.pdf", "/bad/loop-a.html",
            "/private/secret.pdf", "/bad/missing.pdf", "/files/download?id=7", "/old/report.pdf", "/bad/big.pdf",
            "/bad/gone.pdf", "/notice/1.html"]
    listing = tmp_path / "list.csv"
    with listing.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["agency", "year", "url", "note"])
        for i, u in enumerate(urls):
            w.writerow(["测试局", "" if u == "/ok/reset.pdf" else "2022", site.url(u), f"n{i}"])
    out = tmp_path / "raw"

    code = main(["fetch", "--list", str(listing), "--out", str(out), "--interval", "0", "--timeout", "1",
                 "--retries", "2", "--backoff", "0.01", "--max-bytes", "200000", "--allow-private-hosts"])

    assert code == 1  # some failed
    rows = by_path(manifest(out))
    outcome = {p: (r["status"], r["error"], r["attempts"], r["path"]) for p, r in rows.items()}
    assert outcome == {
        "/ok/busy.html": ("200", "", "3", "测试局/2022/busy.html"),
        "/ok/slow.pdf": ("200", "", "2", "测试局/2022/slow.pdf"),
        "/ok/reset.pdf": ("200", "", "2", "测试局/unknown/reset.pdf"),
        "/bad/truncated.pdf": ("", "truncated", "3", ""),
        "/bad/loop-a.html": ("302", "redirect loop", "2", ""),
        "/private/secret.pdf": ("", "robots.txt", "0", ""),
        "/bad/missing.pdf": ("200", "not a document (html)", "1", ""),
        "/files/download?id=7": ("200", "", "1", "测试局/2022/evil.pdf"),
        "/old/report.pdf": ("200", "", "2", "测试局/2022/2022nb.pdf"),  # two requests: 301, then the file
        "/bad/big.pdf": ("", "too large", "1", ""),
        "/bad/gone.pdf": ("404", "http 404", "1", ""),
        "/notice/1.html": ("200", "", "1", "测试局/2022/1.html"),
        "/a/%E9%99%84%E4%BB%B6.pdf": ("200", "", "1", "测试局/2022/附件.pdf"),
        "/b/%E9%99%84%E4%BB%B6.pdf": ("200", "", "1", "测试局/2022/附件-2.pdf"),  # same name, other bytes
        "/files/x.pdf": ("200", "", "1", "测试局/2022/x.pdf"),  # attachment on another host: linked explicitly
    }
    assert site.hits["/ok/busy.html"] == 3 and site.hits["/bad/truncated.pdf"] == 3
    assert site.hits["/bad/loop-a.html"] == site.hits["/bad/loop-b.html"] == 1
    assert "/private/secret.pdf" not in site.hits and "/page.html" not in other.hits
    assert rows["/old/report.pdf"]["final_url"] == site.url("/files/2022nb.pdf")
    assert (out / "测试局/2022/附件-2.pdf").read_bytes() == pdf("second")
    assert [p.name for p in tmp_path.rglob("evil.pdf")] == ["evil.pdf"]
    assert all(r["note"] for r in rows.values())  # the list's extra column, also on attachments
    assert rows["/a/%E9%99%84%E4%BB%B6.pdf"]["note"] == rows["/notice/1.html"]["note"]
    assert not list((out / ".cache" / "tmp").iterdir())
    summary = capsys.readouterr().out
    assert ("fetched 9, cached 0, failed 5 (http 404 1, not a document (html) 1, redirect loop 1, too large 1, "
            "truncated 1), skipped 1 (robots.txt 1)") in summary


def test_private_addresses_are_refused_without_the_flag(sites, tmp_path):
    site, _ = sites
    site.add("/r.pdf", pdf("r"), "application/pdf")
    with Fetcher(tmp_path, Policy(**{**FAST, "allow_private": False}), progress=False) as f:
        f.fetch_list([Job(site.url("/r.pdf"))])
    assert not site.hits
    assert [(r["error"], r["path"]) for r in manifest(tmp_path)] == [("private address", "")]
    assert f.summary.skipped == Counter({"private address": 1})


def test_retry_after_is_honoured(sites, tmp_path):
    site, _ = sites
    site.add("/r.pdf", pdf("r"), "application/pdf", faults=["429:1"])
    with Fetcher(tmp_path, Policy(**FAST), progress=False) as f:
        f.fetch_list([Job(site.url("/r.pdf"))])
    times = [t for t, _, p, _ in site.log if p == "/r.pdf"]
    assert len(times) == 2 and times[1] - times[0] >= 0.95
    assert retry_after("7") == 7 and retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0 and retry_after("soon") is None


def test_rate_limit_and_per_host_concurrency(sites, tmp_path):
    site, _ = sites
    jobs = [Job(site.add(f"/d{i}.pdf", pdf(str(i)), "application/pdf", faults=["slow:0.15"])) for i in range(6)]
    with Fetcher(tmp_path / "a", Policy(**{**FAST, "per_host": 2}), workers=6, progress=False) as f:
        f.fetch_list(jobs)
    assert site.max_inflight == 2 and f.summary.fetched == 6

    site.reset_counts()
    jobs = [Job(site.add(f"/e{i}.pdf", pdf(str(i)), "application/pdf")) for i in range(4)]
    with Fetcher(tmp_path / "b", Policy(**{**FAST, "interval": 0.1, "per_host": 4}), workers=4, progress=False) as f:
        f.fetch_list(jobs)
    starts = sorted(t for t, *_ in site.log)  # robots.txt and the four files
    gaps = [b - a for a, b in zip(starts, starts[1:])]  # 0.1 s apart when sent; arrival jitters by a few ms
    assert len(starts) == 5 and min(gaps) >= 0.07 and sum(gaps) >= 0.37


def test_trickling_body_times_out_and_robots_rules_are_kept(sites, tmp_path):
    site, other = sites
    site.add("/drip.pdf", pdf("drip"), "application/pdf", faults=["drip:0.05"])
    other.add("/robots.txt", "unavailable", "text/plain", status=503)  # unreachable robots.txt: disallow all
    other.add("/x.pdf", pdf("x"), "application/pdf")
    with Fetcher(tmp_path, Policy(**{**FAST, "total_timeout": 0.3, "retries": 0}), progress=False) as f:
        f.fetch_list([Job(site.url("/drip.pdf")), Job(other.url("/x.pdf"))])
    assert sorted((r["url"], r["error"], r["attempts"]) for r in manifest(tmp_path)) == sorted([
        (site.url("/drip.pdf"), "timeout", "1"), (other.url("/x.pdf"), "robots.txt", "0")])
    assert "/x.pdf" not in other.hits

    site.add("/robots.txt", "User-agent: *\nCrawl-delay: 1\n", "text/plain")
    jobs = [Job(site.add(f"/c{i}.pdf", pdf(str(i)), "application/pdf")) for i in range(2)]
    site.reset_counts()
    with Fetcher(tmp_path / "delay", Policy(**FAST), progress=False) as f:
        f.fetch_list(jobs)
    starts = [t for t, _, p, _ in site.log if p.startswith("/c")]
    assert len(starts) == 2 and abs(starts[1] - starts[0]) >= 0.95


def test_page_charset_header_first_then_meta_and_detection():
    title = "某某县2022年政府信息公开工作年度报告"
    mislabeled = f"<html><head><meta charset='gb2312'><title>{title}</title></head></html>"
    assert title in Page("http://x/a.html", mislabeled.encode("utf-8"), "text/html; charset=UTF-8").text
    bare = f"<html><head><title>{title}</title></head></html>".encode("gbk")
    assert title in Page("http://x/a.html", bare, "text/html; charset=ISO-8859-1").text  # a server default
    assert title in Page("http://x/a.html", bare, "text/html").text
    assert title in Page("http://x/a.html", bare, "text/html; charset=utf-8").text  # a wrong header


# ---------------------------------------------------------------------- cache and resume
def test_rerun_downloads_nothing_and_revalidate_asks_conditionally(sites, tmp_path):
    site, other = sites
    plan = trs_site(site, other)
    crawl(plan, tmp_path)
    first_rows = len(manifest(tmp_path))

    site.reset_counts()
    f = crawl(plan, tmp_path)
    assert site.document_hits() == Counter(plan.lists)  # only the list pages, answered 304
    new = manifest(tmp_path)[first_rows:]
    assert [r["status"] for r in new if r["kind"] == "list"] == ["304"] * len(plan.lists)
    assert (f.summary.fetched, f.summary.cached) == (0, len(plan.documents))

    site.reset_counts()
    f = crawl(plan, tmp_path, revalidate=True)
    assert site.document_hits() == Counter(list(plan.documents) + plan.lists)
    conditional = [h for _, _, p, h in site.log if p in plan.documents]
    assert all(h.get("If-None-Match") and h.get("If-Modified-Since") for h in conditional)
    assert (f.summary.fetched, f.summary.cached) == (0, len(plan.documents))
    files = [p for p in tmp_path.rglob("*") if p.is_file() and ".cache" not in p.parts and p.suffix in SUFFIXES]
    assert len(files) == len(plan.documents)  # nothing saved twice


def test_killed_crawl_resumes_with_only_what_is_missing(sites, tmp_path):
    site, other = sites
    plan = trs_site(site, other)
    gated = "/zwgk/gknb/202201/t20220110_1004.html"  # the third report: the server stalls on it
    site.routes[gated].faults.append("gate")
    proc = subprocess.Popen(
        [sys.executable, "-m", "govstats.cli", "crawl", plan.start, "--out", str(tmp_path), "--allow-private-hosts",
         "--interval", "0", "--workers", "1", "--backoff", "0.01", "--agency", "示例县"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert site.gate_reached.wait(60), proc.stderr.read() if proc.poll() is not None else "no request"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    site.gate_open.set()
    done = {urlsplit(r["url"]).path for r in manifest(tmp_path) if r["status"] == "200" and r["kind"] != "list"}
    assert done == {"/zwgk/gknb/" + p for p in ("202301/t20230119_1001.html", "202201/t20220120_1003.html",
                                                  "202201/P020220120_1003.pdf", "202201/P020220120_1003_2.docx")}

    site.reset_counts()
    f = crawl(plan, tmp_path, agency="示例县")
    assert site.document_hits() == Counter([p for p in plan.documents if p not in done] + plan.lists)
    rows = manifest(tmp_path)
    ok = Counter(urlsplit(r["url"]).path for r in rows if r["status"] == "200" and r["kind"] != "list")
    assert ok == Counter(list(plan.documents))  # one successful row per report, across both runs
    assert (f.summary.fetched, f.summary.cached) == (3, 4)


# ---------------------------------------------------------------------- units
def test_manifest_survives_a_partial_last_line(tmp_path):
    path = tmp_path / "manifest.csv"
    m = Manifest(path)
    m.append({"url": "http://a/1", "status": 200, "title": "一\n二"})
    with path.open("ab") as f:
        f.write(b"http://a/2,http://a/2,20")  # killed mid-row
    m = Manifest(path)
    m.append({"url": "http://a/3", "status": 404, "note": "extra column"})
    rows = manifest(tmp_path)
    assert [(r["url"], r["status"], r["title"], r["note"]) for r in rows] == [
        ("http://a/1", "200", "一 二", ""), ("http://a/3", "404", "", "extra column")]
    assert list(rows[0]) == [*COLUMNS, "note"]


def test_file_names_cannot_escape_or_hide():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..") == "download" and safe_name(".bashrc") == "bashrc" and safe_name("CON") == "_CON"
    assert safe_name("a\\b\\..\\c:d?.pdf") == "c_d_.pdf"
    long = safe_name("年" * 200 + ".pdf")
    assert long.endswith(".pdf") and len(long.encode()) <= 150
    assert disposition_name("attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.pdf") == "年报.pdf"
    assert disposition_name('attachment; filename="' + "年报.pdf".encode("gbk").decode("latin-1") + '"') == "年报.pdf"
    assert file_name("http://x/a/24967596.jhtml", None, "html", SUFFIXES) == "24967596.jhtml.html"
    assert file_name("http://x/a/", None, "html", SUFFIXES) == "index.html"
    assert file_name("http://x/module/dl.jsp?id=3", None, "pdf", SUFFIXES) == "dl.jsp.pdf"
    assert file_name("http://x/%2e%2e%2f%2e%2e%2fevil.pdf", None, "pdf", SUFFIXES) == "evil.pdf"
    assert file_name("http://x/f.pdf", 'attachment; filename="/etc/x.docx"', "docx", SUFFIXES) == "x.docx"


def test_titles_years_and_document_links():
    assert report_year("某某局2022年政府信息公开工作年度报告") == 2022
    assert report_year("２０２１年度政府信息公开年报") == 2021  # full-width digits
    assert report_year("2020年政府信息公開工作年度報告") == 2020  # traditional characters
    assert report_year("2022年政务公开工作要点") is None and report_year("政府信息公开工作年度报告") is None
    assert title_agency("某某局2022年政府信息公开工作年度报告") == "某某局"
    assert title_agency("2022年政府信息公开工作年度报告") == ""
    assert is_document_url("http://x/P0202301.PDF") and is_document_url("http://x/down.jsp?filename=a.docx")
    assert not is_document_url("http://x/art/1.html")
    assert docx("t")[:4] == b"PK\x03\x04"


# ---------------------------------------------------------------------- into the dataset
def test_crawled_site_goes_through_build_with_its_urls(sites, tmp_path):
    import govstats

    if not hasattr(govstats, "build"):
        pytest.skip("govstats.build is not there yet")
    site, other = sites
    plan = trs_site(site, other)
    crawl(plan, tmp_path / "raw", agency="示例县")
    result = govstats.build(tmp_path / "raw", tmp_path / "processed", jobs=1, progress=False)

    fetched = {r["path"]: r for r in manifest(tmp_path / "raw") if r["kind"] != "list" and r["path"]}
    reports = govstats.load(tmp_path / "processed").reports.set_index("path")
    assert set(reports.index) == set(fetched)  # list pages and the cache are not reports
    assert reports["url"].to_dict() == {p: r["url"] for p, r in fetched.items()}
    assert reports["title"].to_dict() == {p: r["title"] for p, r in fetched.items()}
    pages = reports.loc[[f"{AGENCY}/2022/t20230119_1001.html", "某某县/2021/t20220110_1004.html"]]
    assert [tuple(r) for r in pages[["status", "agency", "year"]].itertuples(index=False)] == [
        ("ok", AGENCY, 2022), ("ok", "某某县", 2021)]  # the report pages read, with their tables
    assert len(result.reports) == len(fetched)

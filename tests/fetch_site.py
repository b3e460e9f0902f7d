"""Fixture web sites for the fetch tests, served on 127.0.0.1 by a thread of the test process.

A `Site` maps paths to `Route`s, counts every hit and can misbehave on request:
each route has a queue of faults consumed one per request ('503', '429:SECONDS',
'timeout', 'reset', 'truncate', 'drip', 'slow:SECONDS', 'gate'). Builders lay out one site per CMS
platform with real report pages (from `govstats.synthetic`), notices without
tables that link PDF/DOCX attachments, and pages that are not reports.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import socket
import struct
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from govstats.testing import synthetic

LAST_MODIFIED = "Wed, 18 Jan 2023 08:00:00 GMT"


@dataclass
class Route:
    body: bytes = b""
    ctype: str = "text/html"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    faults: list[str] = field(default_factory=list)
    post: Callable[[dict[str, str], dict[str, str]], tuple[int, bytes]] | None = None  # (form, query) -> response


class Site:
    """An HTTP server on 127.0.0.1 with per-path hit counts and scripted faults."""

    def __init__(self, stall: float = 1.0) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.log: list[tuple[float, str, str, dict[str, str]]] = []  # (time, method, path, headers or form)
        self.stall = stall
        self.inflight = self.max_inflight = 0
        self.gate_reached, self.gate_open = threading.Event(), threading.Event()
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site._serve(self, None)

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                site._serve(self, {k: v[0] for k, v in parse_qs(raw).items()})

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # clients that time out or are reset leave broken pipes behind

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: bytes | str = b"", ctype: str = "text/html", **kw: object) -> str:
        """Serve body at path (a str body is UTF-8); returns the route's URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, ctype, **kw)  # type: ignore[arg-type]
        return self.url(path)

    def document_hits(self) -> Counter[str]:
        """Hits on everything but robots.txt."""
        return Counter({p: n for p, n in self.hits.items() if p != "/robots.txt"})

    def reset_counts(self) -> None:
        with self._lock:
            self.hits.clear()
            self.log.clear()

    def close(self) -> None:
        self.gate_open.set()
        self.server.shutdown()
        self.server.server_close()

    # ------------------------------------------------------------------ serving
    def _serve(self, h: BaseHTTPRequestHandler, form: dict[str, str] | None) -> None:
        path = h.path
        with self._lock:
            self.hits[path] += 1
            self.log.append((time.monotonic(), h.command, path, form if form is not None else dict(h.headers)))
            self.inflight += 1
            self.max_inflight = max(self.max_inflight, self.inflight)
            route = self.routes.get(path) or self.routes.get(path.split("?", 1)[0])
            fault = route.faults.pop(0) if route and route.faults else ""
        try:
            self._respond(h, route, fault, form)
        finally:
            with self._lock:
                self.inflight -= 1

    def _respond(self, h: BaseHTTPRequestHandler, route: Route | None, fault: str, form: dict[str, str] | None
                 ) -> None:
        if route is None:
            return _send(h, 404, b"<html><body>not found</body></html>", {"Content-Type": "text/html"})
        kind, _, arg = fault.partition(":")
        if kind == "timeout":
            time.sleep(self.stall)
            h.close_connection = True
            return None
        if kind == "reset":
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.close()
            h.close_connection = True
            return None
        if kind in ("503", "429"):
            extra = {"Retry-After": arg} if arg else {}
            return _send(h, int(kind), b"busy", {"Content-Type": "text/plain", **extra})
        if kind == "slow":
            time.sleep(float(arg or 0.2))
        if kind == "gate":
            self.gate_reached.set()
            self.gate_open.wait(30)
        status, body = route.status, route.body
        if route.post is not None:
            status, body = route.post(form or {}, {k: v[0] for k, v in parse_qs(urlsplit(h.path).query).items()})
        headers = {"Content-Type": route.ctype, **route.headers}
        if status == 200:
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            headers |= {"ETag": etag, "Last-Modified": LAST_MODIFIED}
            if h.headers.get("If-None-Match") == etag:
                return _send(h, 304, b"", {"ETag": etag})
        if kind == "drip":  # a byte at a time: alive, but never done in time
            h.send_response(status)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            for i in range(len(body)):
                h.wfile.write(body[i:i + 1])
                time.sleep(float(arg or 0.05))
            return None
        if kind == "truncate":
            h.send_response(status)
            for k, v in headers.items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body[: len(body) // 2])
            h.close_connection = True
            return None
        return _send(h, status, body, headers)


def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
    h.send_response(status)
    for k, v in headers.items():
        h.send_header(k, v)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    if h.command != "HEAD":
        h.wfile.write(body)


# ---------------------------------------------------------------------- content
def pdf(tag: str) -> bytes:
    return f"%PDF-1.4\n% {tag}\n1 0 obj << >> endobj\n%%EOF\n".encode()


def docx(tag: str) -> bytes:
    """The same bytes on every call (fixed member dates), so a test can compare a download with it."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in (("[Content_Types].xml", "<Types/>"),
                           ("word/document.xml", f"<w:document><w:body><w:p>{tag}</w:p></w:body></w:document>")):
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), text)
    return buf.getvalue()


def report_page(seed: int, agency: str, year: int, encoding: str = "utf-8", meta: bool = True,
                extra: str = "") -> bytes:
    """A report article with its three tables (extra: markup appended, e.g. a 'PDF version' link)."""
    page = synthetic.render_html(synthetic.make_report(seed, agency, year), charset=encoding if meta else None)
    return page.replace("</div></body>", extra + "</div></body>").encode(encoding)


def notice_page(title: str, links: list[tuple[str, str]], encoding: str = "utf-8", script: str = "") -> bytes:
    """An article without tables: the report is in its attachments."""
    e = html.escape
    anchors = "".join(f'<p><a href="{e(href)}">{e(text)}</a></p>' for href, text in links)
    return (f"<html><head><title>{e(title)}</title></head><body><div class='nav'><a href='/'>首页</a></div>"
            f"<div class='article'><h1>{e(title)}</h1><p>现将本年度报告全文公布如下，请见附件。</p>{anchors}"
            f"{script}</div><footer><a href='/help/guide.pdf'>网站使用指南</a></footer></body></html>"
            ).encode(encoding)


def list_page(items: list[tuple[str, str]], encoding: str = "utf-8", tail: str = "") -> bytes:
    e = html.escape
    lis = "".join(f'<li><a href="{e(href)}" title="{e(t)}" target="_blank">{e(t[:20])}</a><span>2023-01-19</span></li>'
                  for href, t in items)
    page = f"<html><head><title>政府信息公开年报</title></head><body><ul class='list'>{lis}</ul>{tail}</body></html>"
    return page.encode(encoding)


# ---------------------------------------------------------------------- platforms
@dataclass
class Plan:
    """What a crawl of a fixture site must fetch (path → bytes) and must leave alone."""

    start: str
    documents: dict[str, bytes] = field(default_factory=dict)
    untouched: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)  # list page paths (GET) or POST paths


AGENCY = "某某县交通运输局"


def trs_site(site: Site, other: Site) -> Plan:
    """TRS WCM in GBK without any charset: index.html, index_1.html, index_2.html."""
    base, enc = "/zwgk/gknb/", "gbk"
    plan = Plan(site.url(base + "index.html"))

    def page(path: str, body: bytes, keep: bool = True) -> str:
        site.add(base + path, body, "text/html")  # no charset in the header either
        (plan.documents.__setitem__(base + path, body) if keep else plan.untouched.append(base + path))
        return "./" + path

    a1 = page("202301/t20230119_1001.html",
              report_page(1, AGENCY, 2022, enc, meta=False, extra='<p><a href="./P020230119_1001.pdf">PDF版</a></p>'))
    page("202301/P020230119_1001.pdf", pdf("pdf version"), keep=False)
    a2 = page("202301/t20230118_1002.html", notice_page("关于开展安全生产检查的通知", [], enc), keep=False)
    a3 = page("202201/t20220120_1003.html", notice_page(f"{AGENCY}2021年政府信息公开工作年度报告", [
        ("./P020220120_1003.pdf", "附件：2021年度报告.pdf"), ("./P020220120_1003_2.docx", "附件2：统计表.docx")], enc))
    page("202201/P020220120_1003.pdf", pdf("2021 report"))
    page("202201/P020220120_1003_2.docx", docx("2021 tables"))
    a4 = page("202201/t20220110_1004.html", report_page(4, "某某县", 2021, enc, meta=False))
    js = '<script>var file_appendix=\'<a href="./P020210125_1005.pdf">2020年报.pdf</a>\';</script>'
    a5 = page("202101/t20210125_1005.html", notice_page("政府信息公开工作年度报告", [], enc, script=js))
    page("202101/P020210125_1005.pdf", pdf("2020 report"))
    offsite = other.add(base + "202101/t20210101_9.html", report_page(9, "某某市", 2020))
    pager = '<script>createPageHTML(3, {n}, "index", "html");</script>'
    lists = {
        "index.html": [(a1, f"{AGENCY}2022年政府信息公开工作年度报告"), (a2, "关于开展安全生产检查的通知")],
        "index_1.html": [(a3, f"{AGENCY}2021年政府信息公开工作年度报告"), (a4, "某某县2021年度政府信息公开年报")],
        "index_2.html": [(a5, "2020年政府信息公开工作年度报告"), (offsite, "某某市2020年政府信息公开工作年度报告")],
    }
    for n, (name, items) in enumerate(lists.items()):
        site.add(base + name, list_page(items, enc, pager.format(n=n)))
        plan.lists.append(base + name)
    plan.untouched.append("/help/guide.pdf")
    site.add("/robots.txt", "User-agent: *\nDisallow: /admin/\n", "text/plain")
    return plan


def hanweb_site(site: Site, per_page: int = 3) -> Plan:
    """Hanweb jcms: 3 records in /col/col1229/index.html, the rest POSTed from dataproxy.jsp."""
    plan = Plan(site.url("/col/col1229/index.html"))
    titles = [f"{AGENCY}{2023 - i}年政府信息公开工作年度报告" if i % 3 != 1 else f"关于第{i}批项目的公示"
              for i in range(8)]
    records = []
    for i, title in enumerate(titles):
        path = f"/art/2023/1/{i + 1}/art_1229_{100 + i}.html"
        body = report_page(20 + i, AGENCY, 2023 - i) if "年报" in title or "年度报告" in title else \
            notice_page(title, [])
        site.add(path, body, "text/html; charset=utf-8")
        (plan.documents.__setitem__(path, body) if "年度报告" in title else plan.untouched.append(path))
        records.append(f'<li><a href="{path}" title="{html.escape(title)}">{html.escape(title)}</a></li>')

    def cdata(recs: list[str]) -> str:
        return "".join(f"<record><![CDATA[{r}]]></record>" for r in recs)

    def proxy(form: dict[str, str], query: dict[str, str]) -> tuple[int, bytes]:
        if any(k not in form for k in ("col", "webid", "columnid", "unitid")) or form["columnid"] != "1229":
            return 400, b"bad form"
        begin, end = int(query["startrecord"]), int(query["endrecord"])
        body = f"<datastore><totalrecord>{len(records)}</totalrecord><recordset>{cdata(records[begin - 1:end])}" \
               "</recordset></datastore>"
        return 200, body.encode()

    site.add("/module/web/jpage/dataproxy.jsp", b"", "text/xml;charset=UTF-8", post=proxy)
    nextgroup = ("/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3185&path=/&columnid=1229&unitid=5778"
                 "&webname=%E6%9F%90%E6%9F%90%E5%8E%BF&permissiontype=0")
    index = (f"<html><head><meta charset='utf-8'><title>年报</title></head><body><div id='5778'>"
             f"<script type='text/xml'><datastore><nextgroup><![CDATA[<a href='{nextgroup}'></a>]]></nextgroup>"
             f"<recordset>{cdata(records[:per_page])}</recordset></datastore></script>"
             f"<script>$('#5778').jpage({{perPage:{per_page}, totalRecord:{len(records)}, "
             f"proxyUrl:'/module/web/jpage/dataproxy.jsp'}});</script></div></body></html>")
    site.add("/col/col1229/index.html", index, "text/html; charset=utf-8")
    plan.lists.append("/col/col1229/index.html")
    plan.lists += [f"/module/web/jpage/dataproxy.jsp?startrecord={b}&endrecord={b + per_page - 1}&perpage={per_page}"
                   for b in range(per_page + 1, len(records) + 1, per_page)]
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    return plan


def gkmlpt_site(site: Site) -> Plan:
    """Guangdong gkmlpt: an index page with the SID, JSON pages of 3 articles each."""
    prefix = "/gdsw110/gkmlpt/"
    plan = Plan(site.url(prefix + "index#2877"))
    site.add(prefix + "index", "<html><head><script>var CONFIG = {sid: '755', type: 'all'};</script></head>"
             "<body><div id='app'></div></body></html>", "text/html; charset=utf-8")
    plan.lists.append(prefix + "index")
    articles = []
    for i in range(7):
        path = f"{prefix}content/2/2877/post_{2877700 + i}.html"
        if i == 5:  # one notice with a PDF attachment instead of tables
            title = f"汕尾市公安局{2022 - i}年政府信息公开工作年度报告"
            body = notice_page(title, [(f"/attachment/0/{i}.pdf", "下载")])
            site.add(f"/attachment/0/{i}.pdf", pdf(f"gkmlpt {i}"), "application/pdf")
            plan.documents[f"/attachment/0/{i}.pdf"] = pdf(f"gkmlpt {i}")
        else:
            body = report_page(40 + i, "汕尾市公安局", 2022 - i)
        site.add(path, body, "text/html; charset=utf-8")
        plan.documents[path] = body
        articles.append({"id": i, "title": f"汕尾市公安局{2022 - i}年政府信息公开工作年度报告", "url": site.url(path)})
    for n in (1, 2, 3):
        chunk = articles[(n - 1) * 3: n * 3]
        path = f"{prefix}api/all/2877?page={n}&sid=755"
        site.add(path, json.dumps({"articles": chunk, "total": len(articles)}, ensure_ascii=False),
                 "application/json; charset=utf-8")
        plan.lists.append(path)
    site.add("/robots.txt", "", "text/plain")
    return plan


def generic_site(site: Site) -> Plan:
    """A hand-made site: three list pages chained by 下一页 links, one report linked directly as a PDF."""
    plan = Plan(site.url("/xxgk/ndbg/list1.htm"))
    direct = site.add("/uploads/2019nb.pdf", pdf("2019 direct"), "application/pdf")
    plan.documents["/uploads/2019nb.pdf"] = pdf("2019 direct")
    pages = []
    for n in range(3):
        path = f"/xxgk/ndbg/show_{n}.htm"
        body = report_page(60 + n, "大五里镇", 2022 - n, "gb2312")
        site.add(path, body, "text/html; charset=gb2312")
        plan.documents[path] = body
        items = [(path, f"大五里镇{2022 - n}年政府信息公开工作年度报告"), ("/xxgk/other.htm", "镇领导分工")]
        nxt = f"<div class='page'><a href='list{n + 2}.htm'>下一页</a></div>" if n < 2 else ""
        pages.append((items + ([(direct, "大五里镇2019年政府信息公开工作年度报告（PDF）")] if n == 2 else []), nxt))
    for n, (items, nxt) in enumerate(pages):
        site.add(f"/xxgk/ndbg/list{n + 1}.htm", list_page(items, "gb2312", nxt), "text/html")
        plan.lists.append(f"/xxgk/ndbg/list{n + 1}.htm")
    plan.untouched.append("/xxgk/other.htm")
    site.add("/robots.txt", "User-agent: *\nDisallow:\n", "text/plain")
    return plan


# The fixture site of each crawl platform (govstats.fetch.platforms.PLATFORMS; a completeness test holds them equal).
SITES = {"trs": trs_site, "hanweb": hanweb_site, "gkmlpt": gkmlpt_site, "generic": generic_site}

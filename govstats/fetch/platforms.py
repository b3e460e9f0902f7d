"""Site platforms: how a report list page paginates and where its items and attachments are.

Most Chinese government sites run on a handful of content management systems
(TRS WCM, Hanweb jcms, Guangdong's gkmlpt); each paginates its lists its own
way. An adapter turns a list page into links, fetching further pages through the
`fetch` callback it is given, so all requests go through the polite client.
"""

from __future__ import annotations

import codecs
import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

from .. import schema
from ..documents.decode import decode_bytes
from ..errors import DecodeError
from ..formats import DOCUMENT_SUFFIXES
from ..normalize import normalize_label, normalize_text


@dataclass(frozen=True)
class Page:
    """A fetched page: the URL it came from (after redirects), its bytes and Content-Type."""

    url: str
    body: bytes
    content_type: str = ""

    @cached_property
    def text(self) -> str:
        """The header's charset when it reads the bytes strictly, else decode_bytes (meta, detection)."""
        m = _CHARSET.search(self.content_type)
        if m:
            try:
                if codecs.lookup(m.group(1)).name not in _UNINFORMATIVE:
                    return self.body.decode(m.group(1))
            except (LookupError, UnicodeDecodeError):
                pass
        try:
            return decode_bytes(self.body, Path(urlsplit(self.url).path or "page"), html=True)
        except DecodeError:
            return ""


@dataclass(frozen=True)
class Link:
    url: str
    title: str


Fetch = Callable[[str, dict[str, str] | None], Page | None]  # (url, POST form or None) -> page
Lister = Callable[[Page, Fetch, int, str], Iterator[Link]]  # (first page, fetch, max pages, start url)

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_UNINFORMATIVE = {"latin-1", "iso8859-1", "cp1252"}  # server defaults that never fail to decode
_YEAR = re.compile(schema.YEAR_MENTION)
_TITLE_YEAR = re.compile(schema.TITLE_YEAR)
_DOCUMENT = re.compile("(?:" + "|".join(re.escape(s) for s in sorted(DOCUMENT_SUFFIXES)) + ")$", re.I)
_HREF = re.compile(r"""href\s*=\s*\\?["']([^"'\\<>]+)""", re.I)
_NEXT = {"下一页", "下页", ">", "下一页>", "下页>"}  # pagination links, not report labels


def report_year(title: str) -> int | None:
    """The year of a list item whose title reads like an annual report, else None."""
    m = _TITLE_YEAR.search(normalize_label(title))
    return int(m.group(1)) if m else None


def title_agency(title: str) -> str:
    """The agency a report title starts with ('某某局2022年…' → '某某局'), or ''."""
    text = normalize_text(title).strip()
    m = _YEAR.search(text)
    prefix = text[: m.start()].strip(" :：-_—【】[]()（）") if m else ""
    return prefix if len(prefix) >= 2 else ""


def is_document_url(url: str) -> bool:
    """Links to PDF/Word/WPS/Excel files, also as a download script's file name parameter."""
    parts = urlsplit(url)
    values = (v for vs in parse_qs(parts.query).values() for v in vs)
    return bool(_DOCUMENT.search(unquote(parts.path)) or any(_DOCUMENT.search(v) for v in values))


def _root(text: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(text) if text.strip() else None
    except (lxml.etree.ParserError, ValueError):
        return None


def _base(root: lxml.html.HtmlElement, url: str) -> str:
    base = root.find(".//base")
    return urljoin(url, base.get("href", "")) if base is not None else url


def anchors(text: str, url: str) -> list[Link]:
    """Every followable <a> of an HTML page or fragment, made absolute, titles from `title=` first."""
    root = _root(text)
    if root is None:
        return []
    base = _base(root, url)
    out = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        title = a.get("title") or a.text_content()
        out.append(Link(urljoin(base, href).split("#", 1)[0], " ".join(title.split())))
    return out


def attachment_links(page: Page) -> list[str]:
    """Document links of an article, also those written by scripts (TRS's file_appendix), not in header/footer."""
    root = _root(page.text)
    if root is None:
        return []
    base = _base(root, page.url)
    for el in root.xpath("//header|//footer|//nav"):
        el.drop_tree()
    markup = lxml.html.tostring(root, encoding="unicode")
    urls = (urljoin(base, html.unescape(m.group(1)).strip()).split("#", 1)[0] for m in _HREF.finditer(markup))
    return [u for u in dict.fromkeys(urls) if is_document_url(u)]


# ------------------------------------------------------------------ adapters
_TRS_PAGER = re.compile(r"""createPageHTML\(\s*['"]?(\d+)['"]?\s*,\s*['"]?\d+['"]?\s*,\s*['"]([\w-]+)['"]\s*,"""
                        r"""\s*['"](\w+)['"]""")


def trs(first: Page, fetch: Fetch, max_pages: int, start: str) -> Iterator[Link]:
    """TRS WCM: index.html, index_1.html, …; the count is in createPageHTML(count, current, name, ext)."""
    yield from anchors(first.text, first.url)
    m = _TRS_PAGER.search(first.text)
    count, name, ext = (int(m.group(1)), m.group(2), m.group(3)) if m else (1, "", "")
    for i in range(1, min(count, max_pages)):
        page = fetch(urljoin(first.url, f"{name}_{i}.{ext}"), None)
        if page is None:
            return
        yield from anchors(page.text, page.url)


_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_HANWEB_KEYS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname",
                "permissiontype")


def _records(page: Page) -> list[str]:
    return _RECORD.findall(page.text)


def _hanweb_form(page: Page) -> dict[str, str]:
    """The data proxy's form fields: from the page's nextgroup link, its script, and the /col/colN/ path."""
    text = page.text
    form: dict[str, str] = {}
    m = re.search(r"dataproxy\.jsp\?([^\"'<>\s\]]+)", text)
    if m:
        form.update((k, v[0]) for k, v in parse_qs(html.unescape(m.group(1))).items() if k in _HANWEB_KEYS)
    for key in _HANWEB_KEYS:
        m = re.search(rf"""\b{key}\s*[:=]\s*['"]?([^'"&,}}\s<]+)""", text)
        if key not in form and m:
            form[key] = m.group(1)
    m = re.search(r"/col/col(\d+)/", page.url)
    if m:
        form.setdefault("columnid", m.group(1))
    form.setdefault("col", "1")
    return form


def _int(pattern: str, text: str) -> int | None:
    m = re.search(pattern, text, re.I)
    return int(m.group(1)) if m else None


def hanweb(first: Page, fetch: Fetch, max_pages: int, start: str) -> Iterator[Link]:
    """Hanweb jcms: records embedded in /col/colN/index.html, the rest POSTed from dataproxy.jsp."""
    records = _records(first)
    for rec in records or [first.text]:
        yield from anchors(rec, first.url)
    form = _hanweb_form(first)
    if not records or "columnid" not in form:
        return
    per = _int(r"perpage\W{0,3}(\d+)", first.text) or len(records)
    total = _int(r"totalrecord\W{0,3}(\d+)", first.text)
    m = re.search(r"[\w/.-]*dataproxy\.jsp", first.text)
    proxy = urljoin(first.url, m.group(0) if m else "/module/web/jpage/dataproxy.jsp")
    begin = len(records) + 1
    for _ in range(1, max_pages):
        if total is not None and begin > total:
            return
        page = fetch(f"{proxy}?startrecord={begin}&endrecord={begin + per - 1}&perpage={per}", form)
        if page is None:
            return
        records = _records(page)
        if not records:
            return
        total = _int(r"<totalrecord>\s*(\d+)", page.text) or total
        for rec in records:
            yield from anchors(rec, page.url)
        begin += len(records)


def gkmlpt(first: Page, fetch: Fetch, max_pages: int, start: str) -> Iterator[Link]:
    """Guangdong gkmlpt: JSON pages from …/gkmlpt/api/all/ID?page=N&sid=SID; ID from index#ID."""
    parts = urlsplit(start)
    category = re.search(r"(\d+)", parts.fragment) or re.search(r"api/all/(\d+)", start + " " + first.text)
    sid = parse_qs(parts.query).get("sid", [None])[0]
    m = re.search(r"""\bsid\b['"]?\s*[:=]\s*['"]?(\d+)""", first.text, re.I)
    sid = sid or (m.group(1) if m else None)
    base = first.url if "/gkmlpt/" in first.url else start
    if category is None or sid is None or "/gkmlpt/" not in base:
        return
    prefix = base[: base.index("/gkmlpt/") + len("/gkmlpt/")]
    seen = 0
    for n in range(1, max_pages + 1):  # the index page holds no items: count the API pages
        page = fetch(f"{prefix}api/all/{category.group(1)}?page={n}&sid={sid}", None)
        if page is None:
            return
        try:
            data = json.loads(page.body)
        except ValueError:
            return
        if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
            return
        for a in data["articles"]:
            if isinstance(a, dict) and a.get("url"):
                yield Link(urljoin(page.url, str(a["url"])), " ".join(str(a.get("title", "")).split()))
        seen += len(data["articles"])
        total = data.get("total")
        if not data["articles"] or (isinstance(total, int) and seen >= total):
            return


def generic(first: Page, fetch: Fetch, max_pages: int, start: str) -> Iterator[Link]:
    """Any site: all anchors, following '下一页' / '下页' / '>' links."""
    page, visited = first, {first.url}
    for n in range(1, max_pages + 1):
        links = anchors(page.text, page.url)
        yield from links
        nxt = next((a.url for a in links if normalize_label(a.title) in _NEXT and a.url not in visited), None)
        if nxt is None or n == max_pages:
            return
        visited.add(nxt)
        fetched = fetch(nxt, None)
        if fetched is None:
            return
        page = fetched


PLATFORMS: dict[str, Lister] = {"trs": trs, "hanweb": hanweb, "gkmlpt": gkmlpt, "generic": generic}


def detect(page: Page, start: str) -> str:
    """The platform of a list page, from its URL and markup."""
    if "/gkmlpt/" in urlsplit(start).path or "/gkmlpt/" in urlsplit(page.url).path:
        return "gkmlpt"
    if "createPageHTML(" in page.text:
        return "trs"
    if "dataproxy.jsp" in page.text or re.search(r"/col/col\d+/", page.url):
        return "hanweb"
    return "generic"

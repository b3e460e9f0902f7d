"""A fetch run: reports into data/raw/<agency>/<year>/, every request outcome into the manifest.

Files are written to a temporary name and hard-linked into place, then the
manifest row is appended: a run killed at any moment leaves no partial file under
a report name, and the next run downloads exactly what has no row yet.
"""

from __future__ import annotations

import csv
import itertools
import shutil
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from tqdm import tqdm

from ..documents import read_document
from ..errors import GovstatsError
from ..formats import sniff
from ..report import parse_document
from ..schema.enums import Flag
from ..util.atomic import atomic_write
from ..util.hashing import sha256_bytes, sha256_file
from ..util.lock import exclusive_lock
from .client import Client, Policy, Response
from .manifest import COLUMNS, Manifest
from .platforms import PLATFORMS, Page, attachment_links, detect, is_document_url, report_year, title_agency
from .safety import Scope, file_name, safe_name, split_suffix

SKIPS = {"off-site", "private address", "robots.txt", "not an http(s) url"}
PAGES_DIR = ".cache/pages"  # list pages: kept for conditional requests, not reports


@dataclass
class Summary:
    fetched: int = 0
    cached: int = 0
    pages: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        def part(name: str, c: Counter[str]) -> str:
            detail = ", ".join(f"{k} {n}" for k, n in sorted(c.items()))
            return f"{name} {sum(c.values())}" + (f" ({detail})" if detail else "")

        return (f"fetched {self.fetched}, cached {self.cached}, {part('failed', self.failed)}, "
                f"{part('skipped', self.skipped)}" + (f"; {self.pages} list pages" if self.pages else ""))


@dataclass(frozen=True)
class Job:
    """One URL to fetch and what is known about it before the request."""

    url: str
    agency: str = ""
    year: str = ""
    title: str = ""
    kind: str = "entry"  # entry (listed or crawled), attachment (linked from an entry), list (a list page)
    parent: str = ""
    extra: dict[str, str] = field(default_factory=dict, hash=False)


def read_list(path: Path) -> list[Job]:
    """Entries of a fetch list: columns agency, year, url (title optional; other columns kept)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"agency", "year", "url"} - set(reader.fieldnames or [])
        if missing:
            raise GovstatsError(path, f"a fetch list needs the columns agency, year, url; missing {sorted(missing)}")
        jobs = []
        for row in reader:
            url = (row.pop("url") or "").strip()
            agency, year, title = ((row.pop(k, "") or "").strip() for k in ("agency", "year", "title"))
            extra = {(f"list_{k}" if k in COLUMNS else k): v or "" for k, v in row.items() if k}
            if url:
                jobs.append(Job(url, agency, year, title, extra=extra))
    return jobs


def _validators(prior: dict[str, str] | None) -> dict[str, str] | None:
    if not prior:
        return None
    h = {"If-None-Match": prior.get("etag", ""), "If-Modified-Since": prior.get("last_modified", "")}
    return {k: v for k, v in h.items() if v} or None


def _inspect(body: bytes) -> tuple[bool, str]:
    """Whether an HTML page holds report tables, and its title."""
    try:
        doc = read_document(Path("page.html"), body)
    except GovstatsError:
        return False, ""
    title = doc.meta.get("ArticleTitle") or doc.title or ""
    try:
        cells = parse_document(doc).cells
    except GovstatsError:  # a notice page without report text or tables
        return False, title
    return bool((cells["flag"] != Flag.MISSING).any()), title


def _look(body: bytes, title: str) -> tuple[str | None, bool, str]:
    """Format, whether it is a page with report tables, and the title (the given one first)."""
    fmt = sniff(body)
    tables, page_title = _inspect(body) if fmt == "html" else (False, "")
    return fmt, tables, title or page_title


class Fetcher:
    """One run into one raw directory; use as a context manager."""

    def __init__(self, out: Path, policy: Policy | None = None, *, revalidate: bool = False, workers: int = 4,
                 progress: bool | None = None) -> None:
        self.out, self.revalidate, self.workers = out, revalidate, workers
        self.progress = sys.stderr.isatty() if progress is None else progress
        out.mkdir(parents=True, exist_ok=True)
        self._lockfile = exclusive_lock(out / ".fetch.lock", "another govstats fetch or crawl is writing here")
        self.tmp = out / ".cache" / "tmp"
        shutil.rmtree(self.tmp, ignore_errors=True)  # leftovers of a killed run
        self.tmp.mkdir(parents=True)
        self.manifest = Manifest(out / "manifest.csv")
        self.known = self.manifest.latest_ok(out)
        self.scope = Scope()
        self.client = Client(policy or Policy(), self.scope)
        self.summary = Summary()
        self._claimed: set[str] = set()
        self._lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self._lockfile.close()

    # ------------------------------------------------------------ entry points
    def fetch_list(self, jobs: list[Job]) -> Summary:
        """Fetch listed article pages or files (and the attachments of articles without tables)."""
        for job in jobs:
            self.scope.add(job.url)
        self._run(jobs)
        return self.summary

    def crawl(self, url: str, platform: str = "auto", max_pages: int = 50, agency: str = "") -> Summary:
        """Walk a site's report list and fetch every item titled like an annual report."""
        self.scope.add(url)
        first = self._page(url.split("#", 1)[0], None)
        if first is None:
            return self.summary
        lister = PLATFORMS[detect(first, url) if platform == "auto" else platform]
        jobs: dict[str, Job] = {}
        for link in lister(first, self._page, max_pages, url):
            year = report_year(link.title)
            if year is not None and link.url not in jobs:
                who = title_agency(link.title) or agency or urlsplit(url).hostname or ""
                jobs[link.url] = Job(link.url, who, str(year), link.title)
        self._run(list(jobs.values()))
        return self.summary

    def _run(self, jobs: list[Job]) -> None:
        with ThreadPoolExecutor(self.workers) as pool, \
                tqdm(total=len(jobs), unit="report", disable=not self.progress) as bar:
            futures = [pool.submit(self._document, job) for job in jobs]
            try:
                for future in as_completed(futures):
                    future.result()
                    bar.update()
            except BaseException:  # Ctrl-C or a bug: stop, do not work through the queue first
                pool.shutdown(wait=False, cancel_futures=True)
                raise

    # ------------------------------------------------------------ one URL
    def _claim(self, url: str) -> bool:
        with self._lock:
            fresh = url not in self._claimed
            self._claimed.add(url)
            return fresh

    def _document(self, job: Job) -> None:
        if not self._claim(job.url):
            return
        prior = self.known.get(job.url)
        if prior and not self.revalidate:
            body, final = (self.out / prior["path"]).read_bytes(), prior["final_url"] or job.url
            fmt, tables, title = _look(body, job.title)
            self._tally(cached=True)
        else:
            r = self.client.request(job.url, headers=_validators(prior), any_host=job.kind == "attachment")
            if r.error:
                self._record(job, r, error=r.error)
                return
            stored = prior if r.status == 304 and prior else None  # a 304: the copy already kept is current
            body = r.body if stored is None else (self.out / stored["path"]).read_bytes()
            final = r.final_url
            fmt, tables, title = _look(body, job.title)
            if stored is None and (job.kind == "attachment" or is_document_url(job.url)) and fmt in ("html", "txt") \
                    and not tables:  # a site's error page served under a document's name
                self._record(job, r, title=title, body=body, error=f"not a document ({fmt})")
                return
            if stored is None:
                name = file_name(final, r.headers.get("Content-Disposition"), fmt)
                who = job.agency or urlsplit(job.url).hostname or ""
                path = self._store(f"{safe_name(who)}/{safe_name(job.year or 'unknown')}", name, body)
            else:
                path = stored["path"]
            self._record(job, r, title=title, body=body, path=path, prior=prior)
            self._tally(cached=stored is not None)
        if job.kind == "attachment" or fmt != "html" or tables:
            return
        for link in attachment_links(Page(final, body)):
            self._document(Job(link, job.agency, job.year, title, "attachment", job.url, job.extra))

    def _page(self, url: str, form: dict[str, str] | None) -> Page | None:
        """A list page (GET, revalidated against the cache) or a data proxy answer (POST)."""
        prior = self.known.get(url) if form is None else None
        r = self.client.request(url, data=form, headers=_validators(prior))
        job = Job(url, kind="list")
        if r.error:
            self._record(job, r, error=r.error)
            return None
        if r.status == 304 and prior:
            body, path = (self.out / prior["path"]).read_bytes(), prior["path"]
        else:
            body = r.body
            path = self._store(PAGES_DIR, sha256_bytes(f"{url} {sorted((form or {}).items())}".encode())[:24], body)
        self._record(job, r, body=body, path=path, prior=prior)
        with self._lock:
            self.summary.pages += 1
        return Page(r.final_url, body, r.headers.get("Content-Type") or (prior or {}).get("content_type", ""))

    # ------------------------------------------------------------ bookkeeping
    def _store(self, folder: str, name: str, body: bytes) -> str:
        """Keep body under folder/name, never overwriting a different file: name-2, name-3, … instead."""
        stem, suffix = split_suffix(name)
        digest = sha256_bytes(body)
        for n in itertools.count(1):
            candidate = name if n == 1 else f"{stem}-{n}{suffix}"
            target = self.out / folder / candidate
            try:
                with atomic_write(target, replace=False, tmp_dir=self.tmp) as tmp:
                    tmp.write_bytes(body)
                return f"{folder}/{candidate}"
            except FileExistsError:
                if target.stat().st_size == len(body) and sha256_file(target) == digest:
                    return f"{folder}/{candidate}"  # the same bytes, saved before a kill lost their row
        raise AssertionError("unreachable")

    def _record(self, job: Job, r: Response, *, title: str = "", body: bytes | None = None, path: str = "",
                error: str = "", prior: dict[str, str] | None = None) -> None:
        prior = prior or {}
        self.manifest.append({
            "url": job.url, "final_url": r.final_url, "status": r.status,
            "content_type": r.headers.get("Content-Type") or prior.get("content_type"),
            "bytes": None if body is None else len(body), "sha256": None if body is None else sha256_bytes(body),
            "fetched_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "agency": job.agency, "year": job.year, "title": title, "path": path, "error": error,
            "kind": job.kind, "parent": job.parent, "attempts": r.attempts,
            "etag": r.headers.get("ETag") or prior.get("etag"),
            "last_modified": r.headers.get("Last-Modified") or prior.get("last_modified"),
            **job.extra,
        })
        if error:
            with self._lock:
                (self.summary.skipped if error in SKIPS else self.summary.failed)[error] += 1

    def _tally(self, *, cached: bool) -> None:
        with self._lock:
            if cached:
                self.summary.cached += 1
            else:
                self.summary.fetched += 1

"""A polite, defensive HTTP client for small government web servers.

Politeness: robots.txt (and its Crawl-delay), a minimum interval between requests
to one host, a cap on concurrent requests per host, exponential backoff that
honours Retry-After. Defence: every hop of a redirect chain is checked (scope,
address, robots), loops are detected, bodies are capped in size and time, and a
body shorter than its Content-Length is a failure, never a file.
"""

from __future__ import annotations

import email.utils
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import requests
import requests.adapters
import urllib3
from protego import Protego

from .._version import __version__
from ..limits import LIMITS
from .safety import AddressCheck, Refused, Scope

REDIRECTS = {301, 302, 303, 307, 308}
ALLOW_ALL = ""  # what a missing robots.txt means
DISALLOW_ALL = "User-agent: *\nDisallow: /\n"  # what an unreachable one means


@dataclass
class Policy:
    """How hard the client may push a server and how long it waits."""

    interval: float = 1.0  # seconds between requests to one host
    per_host: int = 2  # requests in flight to one host
    timeout: float = 30.0  # connect and per-read timeout
    total_timeout: float = 600.0  # a whole body, so a trickling server cannot hold a worker forever
    retries: int = 3  # after the first attempt
    backoff: float = 1.0  # first retry delay; doubles each time
    max_wait: float = 300.0  # the longest Retry-After honoured
    max_bytes: int = LIMITS.max_file_bytes
    allow_private: bool = False
    user_agent: str = f"govstats/{__version__} (research on government information disclosure reports)"


@dataclass
class Response:
    """The outcome of one logical request (all retries and redirects)."""

    url: str
    final_url: str
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    attempts: int = 0
    error: str = ""  # a short reason: "timeout", "http 503", "robots.txt", ...


class _Watch(threading.local):
    """The sockets this thread's current request waits on, for the watchdog that cuts it off."""

    sockets: list | None = None


_WATCH = _Watch()


def _watch(sock: socket.socket | None) -> None:
    if _WATCH.sockets is not None and sock is not None:
        _WATCH.sockets.append(sock)


class _WatchedConnection(urllib3.connection.HTTPConnection):
    def getresponse(self) -> urllib3.response.HTTPResponse:  # type: ignore[override]  # as urllib3 overrides http.client
        _watch(self.sock)
        return super().getresponse()


class _WatchedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def getresponse(self) -> urllib3.response.HTTPResponse:  # type: ignore[override]  # as urllib3 overrides http.client
        _watch(self.sock)
        return super().getresponse()


_POOLS = {
    "http": type("_Pool", (urllib3.HTTPConnectionPool,), {"ConnectionCls": _WatchedConnection}),
    "https": type("_Pool", (urllib3.HTTPSConnectionPool,), {"ConnectionCls": _WatchedHTTPSConnection}),
}


@contextmanager
def _deadline(seconds: float) -> Iterator[list[bool]]:
    """Shut the request's socket down after `seconds`, headers included: a server that drips its
    status line or headers a byte at a time resets every read timeout. Yields [fired]."""
    fired = [False]
    sockets: list = []

    def cut() -> None:
        fired[0] = True
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(seconds, cut)
    _WATCH.sockets = sockets
    timer.start()
    try:
        yield fired
    finally:
        timer.cancel()
        _WATCH.sockets = None


class _Failure(Exception):
    def __init__(self, reason: str, retry: bool) -> None:
        super().__init__(reason)
        self.reason, self.retry = reason, retry


class _Host:
    """Rate limit and concurrency cap of one host."""

    def __init__(self, interval: float, slots: int) -> None:
        self.interval = interval
        self._next = 0.0
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(slots)

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self._slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next)
                self._next = start + self.interval
            time.sleep(start - now)
            yield


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Client:
    """GET/POST with politeness, retries and safety checks; never raises for network trouble."""

    def __init__(self, policy: Policy, scope: Scope) -> None:
        self.policy = policy
        self.scope = scope
        self.addresses = AddressCheck(policy.allow_private)
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, Protego] = {}
        self._lock = threading.Lock()
        self._robots_lock = threading.Lock()
        self._local = threading.local()

    def _session(self) -> requests.Session:
        s = getattr(self._local, "session", None)
        if s is None:
            s = self._local.session = requests.Session()
            s.headers["User-Agent"] = self.policy.user_agent
            for adapter in s.adapters.values():
                if isinstance(adapter, requests.adapters.HTTPAdapter):  # what a new Session mounts
                    adapter.poolmanager.pool_classes_by_scheme = _POOLS
        return s

    def _host(self, url: str) -> _Host:
        key = (urlsplit(url).hostname or "").lower()  # one server, whatever the scheme or port
        with self._lock:
            if key not in self._hosts:
                self._hosts[key] = _Host(self.policy.interval, self.policy.per_host)
            return self._hosts[key]

    def request(self, url: str, *, data: dict[str, str] | None = None, headers: dict[str, str] | None = None,
                any_host: bool = False, robots: bool = True) -> Response:
        """Fetch url (POST when data is given), following redirects hop by hop.

        any_host: the URL was linked explicitly as an attachment, so its host need
        not be one the run was pointed at.
        """
        out = Response(url, url)
        seen: list[str] = []
        current = url
        while True:
            try:
                if not any_host and not self.scope.allows(current):
                    raise Refused("off-site")
                self.addresses.check(current)
                if robots and not self._allowed(current):
                    raise Refused("robots.txt")
            except Refused as exc:
                out.final_url, out.error = current, exc.reason
                return out
            status, hdrs, body, attempts, error = self._attempts(current, data, headers)
            out.final_url, out.status, out.headers, out.body, out.error = current, status, hdrs, body, error
            out.attempts += attempts
            location = hdrs.get("Location")
            if error or status not in REDIRECTS or not location:
                if not error and status is not None and not (200 <= status < 300 or status == 304):
                    out.error = f"http {status}"
                return out
            seen.append(current)
            current = urljoin(current, location.strip()).split("#", 1)[0]
            if current in seen:
                out.error = "redirect loop"
                return out
            if len(seen) > LIMITS.max_redirects:
                out.error = "too many redirects"
                return out
            if status == 303 or (status in (301, 302) and data is not None):
                data = None

    def _attempts(self, url: str, data: dict[str, str] | None, headers: dict[str, str] | None
                  ) -> tuple[int | None, Mapping[str, str], bytes, int, str]:
        """One request with retries: (status, headers, body, attempts, error)."""
        p = self.policy
        for attempt in range(1, p.retries + 2):
            delay = p.backoff * 2 ** (attempt - 1)
            try:
                status, hdrs, body = self._once(url, data, headers)
            except _Failure as exc:
                if not exc.retry or attempt > p.retries:
                    return None, {}, b"", attempt, exc.reason
            else:
                if status != 429 and status < 500:
                    return status, hdrs, body, attempt, ""
                if attempt > p.retries:
                    return status, hdrs, body, attempt, f"http {status}"
                delay = max(delay, min(retry_after(hdrs.get("Retry-After")) or 0.0, p.max_wait))
            time.sleep(delay)
        raise AssertionError("unreachable")

    def _once(self, url: str, data: dict[str, str] | None, headers: dict[str, str] | None
              ) -> tuple[int, Mapping[str, str], bytes]:
        p = self.policy
        method = "POST" if data is not None else "GET"
        with self._host(url).turn(), _deadline(p.total_timeout + p.timeout) as fired:
            try:
                with self._session().request(method, url, data=data, headers=headers, timeout=p.timeout,
                                             stream=True, allow_redirects=False) as r:
                    body = self._read(r)
                if fired[0]:  # the cut socket read as the end of the headers or of the body
                    raise _Failure("timeout", True)
                return r.status_code, r.headers, body
            except requests.Timeout as exc:
                raise _Failure("timeout", True) from exc
            except (requests.ConnectionError, _Failure) as exc:
                if fired[0]:
                    raise _Failure("timeout", True) from exc
                if isinstance(exc, _Failure):
                    raise
                text = str(exc).lower()
                reason = "timeout" if "timed out" in text else "connection reset" if "reset" in text else ""
                raise _Failure(reason or "connection error", True) from exc
            except requests.RequestException as exc:
                raise _Failure(f"bad request: {type(exc).__name__}", False) from exc

    def _read(self, r: requests.Response) -> bytes:
        """The body, read as it arrives (read1), so the size and time caps bite mid-stream."""
        p = self.policy
        length = r.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > p.max_bytes:
            raise _Failure("too large", False)
        deadline = time.monotonic() + p.total_timeout
        buf = bytearray()
        try:
            while chunk := r.raw.read1(65536, decode_content=True):
                buf += chunk
                if len(buf) > p.max_bytes:
                    raise _Failure("too large", False)
                if time.monotonic() > deadline:
                    raise _Failure("timeout", True)
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise _Failure("timeout", True) from exc
        except urllib3.exceptions.ProtocolError as exc:
            raise _Failure("truncated" if "IncompleteRead" in str(exc) else "connection reset", True) from exc
        except urllib3.exceptions.HTTPError as exc:  # a broken gzip stream and the like
            raise _Failure(f"unreadable body: {type(exc).__name__}", False) from exc
        if length.isdigit() and "Content-Encoding" not in r.headers and len(buf) != int(length):
            raise _Failure("truncated", True)
        return bytes(buf)

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            rules = self._robots.get(origin)
            if rules is None:
                rules = self._robots[origin] = self._load_robots(origin)
        return rules.can_fetch(url, self.policy.user_agent)

    def _load_robots(self, origin: str) -> Protego:
        """RFC 9309 (wildcards, $ anchors, the longest match wins): a missing robots.txt (4xx) allows all;
        an unreachable one (5xx, network) disallows all."""
        r = self.request(origin + "/robots.txt", any_host=True, robots=False)
        if r.status is not None and 400 <= r.status < 500:
            text = ALLOW_ALL
        elif r.error or r.status != 200:
            text = DISALLOW_ALL
        else:
            text = r.body[:LIMITS.max_robots_bytes].decode("utf-8", "replace")
        rules = Protego.parse(text)
        delay = rules.crawl_delay(self.policy.user_agent)
        if delay:
            host = self._host(origin)
            host.interval = max(host.interval, float(delay))
        return rules

"""Guard rails against hostile or careless URLs: which hosts may be contacted, and file names.

Government sites link to other hosts, serve names like `../../x.pdf` in
Content-Disposition and sometimes resolve to private addresses; none of that may
make the fetcher wander off, reach an internal network or write outside data/raw.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import unicodedata
from email.message import Message
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from ..formats import BY_NAME, PAGE_SUFFIXES, SUFFIXES
from ..limits import LIMITS

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?$", re.I)  # Windows device names


class Refused(Exception):
    """A URL the fetcher will not request; `reason` goes to the manifest's error column."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def site_of(url: str) -> str:
    """Host without a leading 'www.' (and an explicit port): http/https and www variants are one site."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}:{parts.port}" if parts.port else host


class Scope:
    """The sites a run was pointed at: only their pages are followed."""

    def __init__(self) -> None:
        self._sites: set[str] = set()

    def add(self, url: str) -> None:
        self._sites.add(site_of(url))

    def allows(self, url: str) -> bool:
        return site_of(url) in self._sites


class AddressCheck:
    """Refuses hosts that resolve to private, loopback, link-local or reserved addresses.

    The check runs on every request and redirect hop. (A host that changes its DNS
    answer between this check and the connection is not caught.)
    """

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._seen: dict[str, bool] = {}
        self._lock = threading.Lock()

    def check(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Refused("not an http(s) url")
        host = parts.hostname
        with self._lock:
            public = self._seen.get(host)
        if public is None:
            try:
                infos = socket.getaddrinfo(host, parts.port or 80, proto=socket.IPPROTO_TCP)
            except (socket.gaierror, UnicodeError) as exc:
                raise Refused("unresolvable host") from exc
            public = all(_is_public(str(info[4][0])) for info in infos)  # an IP sockaddr starts with its address
            with self._lock:
                self._seen[host] = public
        if not public and not self.allow_private:
            raise Refused("private address")


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                or ip.is_multicast or ip.is_unspecified)


def safe_name(name: str, default: str = "download") -> str:
    """One path component that cannot climb out of its directory or hide itself."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name or _RESERVED.match(name):
        name = f"_{name}" if name else default
    stem, suffix = split_suffix(name)
    while len((stem + suffix).encode("utf-8")) > LIMITS.max_name_bytes and stem:
        stem = stem[:-1]
    return stem + suffix


def split_suffix(name: str) -> tuple[str, str]:
    """('report', '.pdf') for 'report.pdf'; a dot far from the end is not a suffix."""
    suffix = PurePosixPath(name).suffix
    return (name[: -len(suffix)], suffix) if 1 < len(suffix) <= 10 else (name, "")


def disposition_name(value: str | None) -> str | None:
    """The file name a Content-Disposition header gives, RFC 2231/5987 or raw UTF-8/GBK bytes."""
    if not value:
        return None
    msg = Message()
    msg["content-disposition"] = value
    name = msg.get_filename()
    if not name:
        return None
    try:  # http.client decodes raw header bytes as Latin-1: undo that for UTF-8 or GBK names
        raw = name.encode("latin-1")
    except UnicodeEncodeError:
        return name
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return name


def file_name(url: str, disposition: str | None, fmt: str | None, known_suffixes: frozenset[str] = SUFFIXES) -> str:
    """A safe name for a downloaded file that carries a suffix the readers recognise.

    Pages get `.html` (a `.jhtml` or `.jsp` page would otherwise be skipped by
    `govstats demo`); a name without a known suffix gets the sniffed format's.
    """
    path = urlsplit(url).path
    name = disposition_name(disposition) or unquote(path.rsplit("/", 1)[-1]) or "index.html"
    name = safe_name(name)
    suffix = split_suffix(name)[1].lower()
    if fmt == "html" and suffix not in PAGE_SUFFIXES:
        name += ".html"
    elif suffix not in known_suffixes:
        suffixes = BY_NAME[fmt].suffixes if fmt in BY_NAME else ()
        name += suffixes[0] if suffixes else ".bin"
    return safe_name(name)

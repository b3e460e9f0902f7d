"""The agency register: who publishes the reports, as data a user edits and versions.

`data/agencies.csv` holds one row per agency — a government or one of its departments — with
its canonical id and name, its level, its parent government (an id of the register), the
division it belongs to as a path of names (`浙江省/杭州市/拱墅区`; a department's is empty and
taken from its parent) and the URL prefixes it publishes under (`sites`). The 6-digit division
code is not typed here: `divisions.code` reads it from a maintained code table.

`data/agency_aliases.csv` holds the names reports print for an agency, with the years and files
each was seen in. Many reports print a short name (区统计局, 两城镇人民政府) that several places
share: a name is *qualified* only when it contains the stem of a division of its own chain
(平潭 of 平潭县, 双塔 of 双塔区), and an unqualified one is trusted only with a parent that
confirms it (govstats.dataset.resolve), never on its own.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import GovstatsError
from ..normalize import normalize_label
from . import divisions

DATA = resources.files(__package__).joinpath("data")
AGENCIES_CSV = "agencies.csv"
ALIASES_CSV = "agency_aliases.csv"
# a division's stem, what a name keeps of it: 平潭县 → 平潭, 新疆维吾尔自治区 → 新疆
_SUFFIX = re.compile(r"(?:维吾尔|壮族|回族)?自治[区州县旗]$|[省市区县旗盟州]$")
MIN_STEM = 2


class Level(StrEnum):
    """Administrative level of an agency."""

    CENTRAL = "central"  # a ministry or commission of the State Council
    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"  # county, district, county-level city, banner
    TOWNSHIP = "township"  # township, town, street office
    DEPARTMENT = "department"  # an organ of the government named by `parent`


class AgencySource(StrEnum):
    """What named a report's agency (`govstats.dataset.resolve`, in this order)."""

    OVERRIDE = "override"  # a row of RAW_DIR/overrides.csv
    MANIFEST = "manifest"  # the fetch list's agency in manifest.csv
    REPORT = "report"  # the name the report prints
    SITE = "site"  # the site it was published on


@dataclass(frozen=True)
class Alias:
    """A name printed for an agency, and where it was seen."""

    name: str
    years: tuple[int, ...] = ()
    files: str = ""


@dataclass(frozen=True)
class Agency:
    agency_id: str
    name: str  # canonical
    level: Level
    parent: str | None  # agency_id of the government above (or owning a department)
    division: str  # path of division names; inherited from the parent when the row leaves it empty
    division_code: str  # 6-digit GB/T 2260 code of the government it belongs to
    sites: tuple[str, ...]  # URL prefixes without scheme or `www.`
    note: str
    aliases: tuple[Alias, ...]

    @property
    def region(self) -> str:
        """The provincial-level division."""
        return self.division.split(divisions.SEPARATOR)[0]


def site_key(url: str) -> str:
    """A URL (or a `sites` entry) as compared: host without `www.` and path, no scheme or query."""
    parts = urlsplit(url if "//" in url else f"//{url}")
    host = (parts.hostname or "").removeprefix("www.")
    return host + parts.path


class Register:
    """The agencies by id, with look-ups by printed name and by site."""

    def __init__(self, agencies: dict[str, Agency]) -> None:
        self.agencies = agencies
        self._names: dict[str, list[Agency]] = {}
        for agency in agencies.values():
            for name in {normalize_label(n) for n in (agency.name, *(a.name for a in agency.aliases))}:
                self._names.setdefault(name, []).append(agency)

    def __iter__(self) -> Iterator[Agency]:
        return iter(self.agencies.values())

    def __getitem__(self, agency_id: str) -> Agency:
        return self.agencies[agency_id]

    def named(self, name: str) -> list[Agency]:
        """Every agency whose canonical name or an alias is `name` (after normalisation)."""
        return list(self._names.get(normalize_label(name), []))

    def chain(self, agency: Agency) -> list[Agency]:
        """The agency and the governments above it, nearest first."""
        out = [agency]
        while out[-1].parent:
            out.append(self.agencies[out[-1].parent])
        return out

    def qualified(self, agency: Agency, name: str) -> bool:
        """Whether `name` says where the agency is: it holds the stem of a division of its chain."""
        printed = normalize_label(name)
        stems = {_SUFFIX.sub("", part) for a in self.chain(agency) for part in a.division.split(divisions.SEPARATOR)}
        return any(len(stem) >= MIN_STEM and stem in printed for stem in stems)

    def at_site(self, url: str) -> Agency | None:
        """The agency with the longest `sites` prefix holding a path that the URL starts with.

        A bare host (a government's portal, which carries its departments' reports too) names no
        report; it only confirms a parent (`hosted`).
        """
        key = site_key(url)
        best = [(len(p), a) for a in self for p in map(site_key, a.sites) if "/" in p.rstrip("/") and key.startswith(p)]
        return max(best, key=lambda pair: pair[0])[1] if best else None

    def hosted(self, agency: Agency, url: str) -> bool:
        """Whether the URL is on a site of the agency or of a government above it.

        A `sites` entry with a path confirms only URLs below it (a mirror serves many bodies' sites under
        one host); a bare host, the whole host.
        """
        key = site_key(url)
        return any(key.startswith(p) if "/" in p.rstrip("/") else key.split("/")[0] == p.split("/")[0]
                   for a in self.chain(agency) for p in map(site_key, a.sites))


def _rows(path: Path | None, default: str) -> list[dict[str, str]]:
    source = path if path is not None else DATA.joinpath(default)
    with source.open("r", encoding="utf-8") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def read_register(path: Path | None = None, aliases: Path | None = None) -> Register:
    """The register of `path` and `aliases` (default: the package's); GovstatsError on an inconsistent row.

    Rows may come in any order: a department's division is its parent's, resolved here.
    """
    rows = {r["agency_id"]: r for r in _rows(path, AGENCIES_CSV)}
    seen: dict[str, list[Alias]] = {}
    for r in _rows(aliases, ALIASES_CSV):
        if r["agency_id"] not in rows:
            raise GovstatsError(Path(ALIASES_CSV), f"alias {r['alias']!r} of unknown agency {r['agency_id']!r}")
        seen.setdefault(r["agency_id"], []).append(Alias(r["alias"], tuple(map(int, r["years"].split())), r["files"]))

    def division(agency_id: str, depth: int = 0) -> str:
        row = rows[agency_id]
        if row["division"]:
            return row["division"]
        if not row["parent"] or depth > len(rows):
            raise GovstatsError(Path(AGENCIES_CSV), f"{agency_id}: no division and no parent to take it from")
        return division(row["parent"], depth + 1)

    out = {}
    for agency_id, r in rows.items():
        if r["parent"] and r["parent"] not in rows:
            raise GovstatsError(Path(AGENCIES_CSV), f"{agency_id}: unknown parent {r['parent']!r}")
        if r["level"] not in set(Level):
            raise GovstatsError(Path(AGENCIES_CSV), f"{agency_id}: level {r['level']!r} is not one of {list(Level)}")
        path_ = division(agency_id)
        out[agency_id] = Agency(agency_id, r["name"], Level(r["level"]), r["parent"] or None, path_,
                                divisions.code(path_), tuple(r["sites"].split()), r["note"],
                                tuple(seen.get(agency_id, ())))
    return Register(out)


@functools.cache
def register() -> Register:
    """The package's register, read once."""
    return read_register()

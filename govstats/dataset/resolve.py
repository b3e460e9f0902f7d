"""Which agency each report is, and the user's corrections: applied at build time, after reading.

Resolution order, the first that names a register agency wins, recorded in `agency_source`:

1. `override` — a row of `RAW_DIR/overrides.csv` with field `agency`;
2. `manifest` — the agency of the fetch list (manifest.csv);
3. `report` — the name the report prints;
4. `site` — the site it came from: a `sites` prefix of the register with a path.

A name names an agency when it is the canonical name or an alias of exactly one, and either says
where the agency is (`Register.qualified`: 双塔区前进街道) or comes from a host of that agency or
of a government above it (两城镇人民政府 on the site of 微山县). A report that none of them
resolves keeps its printed name with a null `agency_id` and a failed `metadata.agency_resolved`
warning (`metadata.agency_resolved`, one row per report read in checks.parquet): a short name such as
区统计局 is never attached to a district by guess.

`RAW_DIR/overrides.csv` has columns `report` (a report id or a path below RAW_DIR), `field`
(agency, year or template), `value` and `reason`. The value of an agency override is an
agency_id or a name of the register. Overrides are applied to every build (they are part of the
build's fingerprint, not of the cache) and listed in the report's `overrides` column. A year or
template override relabels the report's rows; it does not read the tables again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..checks import RULES
from ..checks.rules import AGENCY_RESOLVED
from ..errors import GovstatsError
from ..schema import outputs
from ..schema.agencies import Agency, AgencySource, Register, register, site_key
from ..schema.enums import Status, Template
from .corrected import ValueCorrections
from .sources import OVERRIDES, Source, user_rows

FIELDS = ("agency", "year", "template")


@dataclass(frozen=True)
class Override:
    report: str  # report id or path below RAW_DIR
    field: str
    value: str
    reason: str

    def describe(self) -> str:
        return f"{self.field}={self.value} ({self.reason})" if self.reason else f"{self.field}={self.value}"


def read_overrides(raw: Path) -> list[Override]:
    """The rows of RAW_DIR/overrides.csv (none when it does not exist); GovstatsError on a bad row."""
    path = raw / OVERRIDES
    numbered = [(n, Override(**r)) for n, r in user_rows(path, ("report", "field", "value", "reason"))]
    for n, o in numbered:
        if o.field not in FIELDS or not o.report or not o.value:
            raise GovstatsError(path, f"line {n}: needs report, field ({'|'.join(FIELDS)}) and value")
        if o.field == "year" and not o.value.isdigit():
            raise GovstatsError(path, f"line {n}: year {o.value!r} is not a number")
        if o.field == "template" and o.value not in set(Template):
            raise GovstatsError(path, f"line {n}: template {o.value!r} is not one of {[t.value for t in Template]}")
    return [o for _, o in numbered]


@dataclass(frozen=True)
class Resolution:
    agency: Agency | None
    source: AgencySource | None  # None when unresolved
    note: str  # why, for people

    def columns(self) -> dict[str, Any]:
        a = self.agency
        return {"agency_id": a and a.agency_id, "agency_name": a and a.name, "agency_level": a and str(a.level),
                "agency_parent": a and a.parent, "division_code": a and a.division_code,
                "agency_source": self.source, "agency_note": self.note}


def _by_name(reg: Register, name: str, url: str | None) -> tuple[Agency | None, str]:
    """The one agency `name` names (narrowed by the site when several share it), and why or why not."""
    found = reg.named(name)
    if url and len(found) > 1:
        found = [a for a in found if reg.hosted(a, url)]
    if len(found) != 1:
        return None, f"{name!r} names {len(found)} agencies of the register" + (" (a parent is needed)" * bool(found))
    agency = found[0]
    if reg.qualified(agency, name):
        return agency, f"{name!r} is {agency.agency_id}"
    if url and reg.hosted(agency, url):
        return agency, f"{name!r} is {agency.agency_id}, confirmed by the site {site_key(url).split('/')[0]}"
    return None, f"{name!r} does not say where it is and no site confirms its parent"


def resolve(printed: str | None, url: str | None, manifest: str | None = None, override: str | None = None,
            reg: Register | None = None) -> Resolution:
    """The register agency of a report, by the order above; unresolved when no stage names one."""
    reg = reg or register()
    if override:
        agency = reg.agencies.get(override) or _by_name(reg, override, url)[0]
        if agency is None:
            raise GovstatsError(Path(OVERRIDES), f"agency {override!r} is neither an id nor a name of the register")
        return Resolution(agency, AgencySource.OVERRIDE, f"overridden to {agency.agency_id}")
    why = []
    for source, name in ((AgencySource.MANIFEST, manifest), (AgencySource.REPORT, printed)):
        if name:
            agency, reason = _by_name(reg, name, url)
            if agency is not None:
                return Resolution(agency, source, f"{source}: {reason}")
            why.append(f"{source}: {reason}")
    if url and (agency := reg.at_site(url)) is not None and not printed:
        return Resolution(agency, AgencySource.SITE, f"the site publishes {agency.agency_id}'s reports")
    why.append("site: " + ("none" if not url else "not a publishing prefix of the register" if not printed
                           else "not used for a report that prints another name"))
    return Resolution(None, None, "unresolved: " + "; ".join(why))


class Corrections:
    """A build's overrides, register and value corrections (`corrected`), applied to each report's row and cells."""

    def __init__(self, raw: Path) -> None:
        self.register = register()
        self.values = ValueCorrections(raw)
        self.overrides: dict[str, list[Override]] = {}
        for o in read_overrides(raw):
            self.overrides.setdefault(o.report, []).append(o)
        self._matched: set[str] = set()  # the overrides' `report` keys some report of the build had

    def _for(self, s: Source, report_id: str) -> dict[str, Override]:
        """The last override per field for the report (by path or id)."""
        keys = [key for key in (s.rel, report_id) if key in self.overrides]
        self._matched.update(keys)
        return {o.field: o for key in keys for o in self.overrides[key]}

    def summary(self) -> list[str]:
        """Warnings for the build's summary: overrides that matched no report (a typo in a path or id would
        otherwise be silent), then the value corrections'."""
        unused = [f"warning: {OVERRIDES}: {key!r} is no report of this build (a path below RAW_DIR or a report "
                  f"id): {'; '.join(o.describe() for o in found)} not applied"
                  for key, found in self.overrides.items() if key not in self._matched]
        return [*unused, *self.values.summary()]

    def row(self, s: Source, row: dict[str, Any]) -> dict[str, Any]:
        """A reports row with the year/template overrides applied and the agency columns added."""
        chosen = self._for(s, row["report_id"])
        fixed: dict[str, Any] = {"year": int(chosen["year"].value)} if "year" in chosen else {}
        fixed |= {"template": chosen["template"].value} if "template" in chosen else {}
        agency = chosen["agency"].value if "agency" in chosen else None
        found = resolve(row["agency"], s.url, s.agency, agency, self.register)
        described = "; ".join(o.describe() for o in chosen.values())
        return {**row, **fixed, **found.columns(), "overrides": described or None}

    def cells(self, s: Source, report_id: str, table: pa.Table) -> pa.Table:
        """The report's cells with a year or template override applied to their columns."""
        chosen = self._for(s, report_id)
        for name, cast in (("year", int), ("template", str)):
            if name in chosen:
                i = table.schema.get_field_index(name)
                value = pa.scalar(cast(chosen[name].value), table.schema.field(i).type)
                table = table.set_column(i, name, pa.repeat(value, table.num_rows))
        return table

    def findings(self, rows: list[dict[str, Any]]) -> pa.Table:
        """The `metadata.agency_resolved` rows of checks.parquet: one per real report read (values or not),
        failed with the reason where nothing named a register agency (a generated sample's agency is
        fictional: not checked)."""
        read = [r for r in rows if r["status"] in (Status.OK, Status.NO_TABLES) and not r["synthetic"]]
        n = len(read)
        return pa.table({
            "report_id": [r["report_id"] for r in read], "rule": [AGENCY_RESOLVED] * n,
            "severity": [str(RULES[AGENCY_RESOLVED].severity)] * n,
            "passed": [r["agency_id"] is not None for r in read], "table": [""] * n, "row": [""] * n,
            "column": [""] * n, "expected": [math.nan] * n, "found": [math.nan] * n,
            "message": ["" if r["agency_id"] else f"{r['agency'] or 'no name printed'}: {r['agency_note']}"
                        for r in read],
            "related_report_id": [None] * n,
        }, schema=outputs.CHECKS.arrow(plain=True))

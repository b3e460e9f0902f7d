"""Corrections as data: `RAW_DIR/corrections.csv` fixes a number the report itself printed wrong.

A report sometimes prints a wrong number (its own 勾稽 identity fails: the agency's mistake, not
the reader's). The fix is a line of a user-maintained file, never an edit of the raw document:

    report,sha256,table,row,column,value,reason,who,date
    corpus/x.pdf,9f2c…,requests,new_received,total,3120,"the applicant columns add up to 3120",Li,2025-03-01

`report` is a path below RAW_DIR, a report id or the file's SHA-256; `sha256` (optional when
`report` is the hash) is the content the correction was written for. At build time each
correction replaces its cell's value, with flag `corrected`; the printed text stays in
`printed` and `correction` says why, who and when (and what was read). The report's checks run
again on the corrected values. A correction whose file has changed since (another SHA-256), or
whose report or cell is not there, is not applied: the build summary lists it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from .. import schema
from ..checks.rules import CHECK_COLUMNS, recheck
from ..errors import GovstatsError
from ..normalize import read_number
from ..schema.enums import Flag
from .cache import CELLS_PLAIN, Entry, checks_table
from .sources import CORRECTIONS, Source, user_rows

COLUMNS = ("report", "sha256", "table", "row", "column", "value", "reason", "who", "date")


@dataclass(frozen=True)
class Correction:
    line: int  # in corrections.csv, for messages
    report: str  # path below RAW_DIR, report id or SHA-256
    sha256: str  # the content it was written for ('' when `report` is the hash or not given)
    table: str
    row: str
    column: str
    value: float
    reason: str
    who: str
    date: str

    def describe(self, read: float) -> str:
        """The `correction` column: why, who, when, and the value that was read."""
        by = ", ".join(filter(None, (self.who, self.date)))
        was = "NaN" if math.isnan(read) else f"{read:g}"
        return f"{self.reason} ({by}; read {was})" if by else f"{self.reason} (read {was})"


def read_corrections(raw: Path) -> list[Correction]:
    """The lines of RAW_DIR/corrections.csv (none when it does not exist); GovstatsError naming a bad line."""
    path = raw / CORRECTIONS
    out = []
    for n, r in user_rows(path, COLUMNS):
        if not r["report"] or not r["reason"]:
            raise GovstatsError(path, f"line {n}: needs report and reason")
        if r["table"] not in schema.TABLES or r["row"] not in schema.ROW_ORDER[r["table"]] \
                or r["column"] not in schema.COLUMN_ORDER[r["table"]]:
            raise GovstatsError(path, f"line {n}: {r['table']}.{r['row']}.{r['column']} is not a cell of the schema "
                                      "(keys as in cells.parquet: table, row, column)")
        reading = read_number(r["value"])
        if reading.kind != "number" or reading.value is None:
            raise GovstatsError(path, f"line {n}: value {r['value']!r} is not a number")
        sha = r["sha256"].lower() or (r["report"].lower() if len(r["report"]) == 64 else "")
        out.append(Correction(n, r["report"], sha, r["table"], r["row"], r["column"], float(reading.value),
                              r["reason"], r["who"], r["date"]))
    return out


class ValueCorrections:
    """A build's corrections: applied to each report's entry, and what was not applied, for the summary."""

    def __init__(self, raw: Path) -> None:
        self.all = read_corrections(raw)
        self.applied: set[int] = set()
        self.refused: dict[int, str] = {}  # line → why not applied

    def _for(self, s: Source, report_id: str) -> list[Correction]:
        keys = {s.rel, report_id, s.sha256}
        return [c for c in self.all if c.report in keys or c.report.lower() in keys]

    def entry(self, s: Source, entry: Entry) -> Entry:
        """The entry with its corrections applied and its checks run again; unchanged when it has none."""
        mine = self._for(s, entry.meta["report_id"] or "")
        if not mine or entry.cells is None:
            for c in mine:
                self.refused[c.line] = f"{s.rel} has no values ({entry.meta['status']})"
            return entry
        cells = entry.cells.to_pandas()
        changed = False
        for c in mine:
            if c.sha256 and c.sha256 != s.sha256:
                self.refused[c.line] = (f"{s.rel} changed since the correction was written (SHA-256 {s.sha256[:12]}…, "
                                        f"not {c.sha256[:12]}…): check the value again and update the line")
                continue
            at = (cells["table"] == c.table) & (cells["row"] == c.row) & (cells["column"] == c.column)
            if not at.any():
                self.refused[c.line] = f"{s.rel} has no value {c.table}.{c.row}.{c.column}"
                continue
            read = float(cells.loc[at, "value"].iloc[0])
            cells.loc[at, ["value", "flag", "correction"]] = [c.value, Flag.CORRECTED.value, c.describe(read)]
            self.applied.add(c.line)
            changed = True
        if not changed:
            return entry
        own = entry.checks.select(CHECK_COLUMNS).to_pandas() if entry.checks is not None else None  # without report ids
        checks = None if own is None else recheck(cells, own)
        return Entry(entry.meta, pa.Table.from_pandas(cells, schema=CELLS_PLAIN, preserve_index=False),
                     None if checks is None else checks_table(checks, entry.meta["report_id"]))

    def summary(self) -> list[str]:
        """Lines for the build summary: how many were applied, and each one that was not, with why."""
        if not self.all:
            return []
        lines = [f"{len(self.applied)} of {len(self.all)} corrections ({CORRECTIONS}) applied"]
        for c in self.all:
            if c.line not in self.applied:
                why = self.refused.get(c.line, f"no report {c.report!r} below the raw directory")
                lines.append(f"warning: {CORRECTIONS} line {c.line} not applied: {why}")
        return lines


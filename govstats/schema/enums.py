"""The closed vocabularies of the outputs: severities, value flags, file statuses, templates.

StrEnum members are str, so `Severity.ERROR == "error"` and they are written to Parquet,
compared in pandas and printed exactly as the plain strings the outputs have always held.
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How much a failed check matters: `error` makes `Report.ok` false."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Flag(StrEnum):
    """How a cell's value was read (cells.flag)."""

    READ = ""  # a number printed in the cell
    BLANK = "blank"  # printed empty or as a blank mark (—, /, 无): read as 0
    UNREADABLE = "unreadable"  # printed, but not a number: NaN
    MISSING = "missing"  # the row ends before this column: NaN
    INFERRED = "inferred"  # the row's values ran together in a text dump: the one reading its identities allow
    PROSE = "prose"  # stated in a sentence (a legacy report): the sentence is `printed`
    CORRECTED = "corrected"  # replaced by a line of RAW_DIR/corrections.csv: `printed` keeps what was printed


class Status(StrEnum):
    """What happened to a source file in a build (reports.status)."""

    OK = "ok"  # read, and table values were read: its cells and checks are in the outputs
    NO_TABLES = "no_tables"  # a report, but no table value was read (pre-2019 layout, tables not found)
    NOT_A_REPORT = "not_a_report"  # read, but the document is not an annual report
    ERROR = "error"  # the document cannot be read (a GovstatsError): kept in the cache
    FAILED = "failed"  # a parser bug or a file that changed while read: tried again next build
    TIMEOUT = "timeout"  # longer than the per-file limit: tried again next build
    CRASHED = "crashed"  # the worker process died: tried again next build
    DUPLICATE = "duplicate"  # same content as an earlier file: read once, listed twice


class Template(StrEnum):
    """The table layout a report follows (国办公开办函〔2019〕60号, 〔2021〕30号, or none)."""

    T2019 = "2019"
    T2021 = "2021"
    LEGACY = "legacy"  # before 2019: no standard tables

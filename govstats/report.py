"""`read_report`: one file in, its metadata, tidy cells and checks out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import schema
from .checks import run_checks
from .documents import load_document
from .documents.model import Document
from .errors import NotAReportError
from .limits import LIMITS, time_limit
from .parse.legacy import stated_values
from .parse.metadata import find_agency, find_template, find_year
from .parse.tables import Extraction, Value, extract_tables
from .schema import outputs
from .schema.enums import Flag, Severity, Template

CELL_COLUMNS = outputs.CELLS.names  # the columns of Report.cells (docs/SCHEMA.md)


@dataclass
class Report:
    """A parsed report. `cells` is tidy (one row per value); `checks` one row per rule."""

    path: Path
    report_id: str
    format: str
    agency: str | None
    year: int | None
    template: str
    pages: int | None
    cells: pd.DataFrame
    checks: pd.DataFrame

    @property
    def ok(self) -> bool:
        """True when no error-severity check failed."""
        c = self.checks
        return bool(((c["severity"] != Severity.ERROR) | c["passed"]).all())

    def table(self, name: str) -> pd.DataFrame:
        """One table laid out as printed: rows × columns, values only."""
        sub = self.cells[self.cells["table"] == name]
        wide = sub.pivot_table(index="row", columns="column", values="value", aggfunc="first", dropna=False, sort=False)
        return wide.reindex(columns=[c for c in dict.fromkeys(sub["column"]) if c in wide.columns])

    def __repr__(self) -> str:
        failed = int((~self.checks["passed"] & (self.checks["severity"] == Severity.ERROR)).sum())
        return (f"<Report {self.path.name}: {self.agency or '(agency not printed)'} {self.year} "
                f"template {self.template}, {len(self.cells)} cells, {failed} failed checks>")


def _order(v: Value) -> tuple[int, int, int]:
    t = schema.ALL_TABLES.index(v.table)
    if v.row == "unmapped":
        return (t, 10_000, 0)
    rows, cols = schema.ROW_ORDER[v.table], schema.COLUMN_ORDER[v.table]
    return (t, rows.index(v.row), cols.index(v.column) if v.column in cols else len(cols))


def _cells_frame(doc: Document, ex: Extraction, report_id: str, agency: str | None, year: int | None,
                 template: str) -> pd.DataFrame:
    name = doc.path.name
    values = sorted(ex.values, key=_order)
    n = len(values)
    frame: dict[str, list[Any]] = {
        "report_id": [report_id] * n,
        "agency": [agency] * n,
        "year": [year] * n,
        "template": [template] * n,
        "table": [v.table for v in values],
        "row": [v.row for v in values],
        "column": [v.column for v in values],
        "value": [v.value for v in values],
        "flag": [v.flag for v in values],
        "row_label": [v.row_label if v.row_label is not None else schema.row_label(v.table, template, v.row)
                      for v in values],
        "column_label": [v.column_label or schema.column_label(v.table, template, v.column) for v in values],
        "printed": [v.cell.text if v.cell and v.flag != Flag.MISSING else None for v in values],
        "source": [v.cell.locate(name) if v.cell else name for v in values],
    }
    return pd.DataFrame({f.name: pd.array(frame[f.name], dtype=f.pandas) for f in outputs.CELLS.fields})


def parse_document(doc: Document) -> Report:
    """Metadata, tables and checks of an already loaded document."""
    report_id = doc.sha256[:16]
    year = find_year(doc)
    template = find_template(doc, year)
    ex = extract_tables(doc.cells, template)
    if template == Template.LEGACY:  # figures stated in sentences, beside (or instead of) the 统计表
        ex.values.extend(stated_values(doc.text, ex.values))
    readable = any(v.flag in (Flag.READ, Flag.BLANK) for v in ex.values)
    if not readable and not re.search(schema.REPORT_MARKER, doc.label_text):
        raise NotAReportError(doc.path, "no 政府信息公开 report text and no report tables in the document")
    agency = find_agency(doc)
    if not readable and agency is None and year is None:  # a README or provenance note that names reports
        raise NotAReportError(doc.path, "no report tables, and neither the publishing body nor the year of a report")
    cells = _cells_frame(doc, ex, report_id, agency, year, template)
    checks = run_checks(ex.values, ex.problems, template, agency, year)
    return Report(doc.path, report_id, doc.format, agency, year, template, doc.pages, cells, checks)


def read_report(path: str | Path, *, timeout: float | None = LIMITS.read_timeout) -> Report:
    """Read one report of any supported format (see SCHEMA.md).

    Raises a `GovstatsError` subclass naming the file and the reason when the file
    cannot be read (ReadTimeoutError after `timeout` seconds); a readable report with
    gaps is returned and the gaps are in `report.checks`.
    """
    with time_limit(path, timeout):
        return parse_document(load_document(path))

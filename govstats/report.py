"""`read_report`: one file in, its metadata, tidy cells and checks out."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import schema
from .checks import run_checks
from .checks.rules import involved
from .documents import load_document
from .documents.model import Cell, Document
from .errors import NotAReportError
from .limits import LIMITS, time_limit
from .parse.legacy import stated_values
from .parse.metadata import find_agency, find_template, find_year
from .parse.tables import Extraction, Value, extract_tables
from .schema import outputs
from .schema.enums import Flag, Severity, Template

if TYPE_CHECKING:
    from PIL import Image

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

    def show(self, table: str | None = None, row: str | None = None, column: str | None = None, *,
             check: int | None = None) -> Image.Image:
        """A picture of where values came from, the cells outlined: displays inline in Jupyter.

        `show("requests", "new_received", "total")` one value; `show("requests")` a whole table;
        `show("requests", column="total")` a column; `show(check=i)` the cells row `i` of `checks`
        is about (every number an identity adds up; a row a cut-off table lacks: the table as far
        as it goes). A PDF's page region is rendered
        by PDFium; other formats draw the document's own table grid (see documents.pictures).
        """
        if check is not None:
            c = self.checks.loc[check]
            found = narrowest(self.cells, *involved(c["rule"], c["table"], c["row"], c["column"]))
            if found is None:
                raise KeyError(f"check {check} ({c['rule']}) is about no value of the report")
            table, row, column = found
        if table is None:
            raise ValueError("show needs a table (and optionally row and column), or check=")
        chosen = self.cells[cells_at(self.cells, table, row, column)]
        if chosen.empty:
            raise KeyError(f"no value at {'.'.join(filter(None, (table, row, column)))}")
        from .documents.pictures import picture  # PIL and PDFium rendering: only when a picture is asked for

        caption = f"{self.path.name} · " + ".".join(filter(None, (table, row, column)))
        return picture(self.document, places(chosen), caption)

    @functools.cached_property
    def document(self) -> Document:
        """The source document, read again on first use (a picture needs its grid or its pages)."""
        return load_document(self.path)

    def __repr__(self) -> str:
        failed = int((~self.checks["passed"] & (self.checks["severity"] == Severity.ERROR)).sum())
        return (f"<Report {self.path.name}: {self.agency or '(agency not printed)'} {self.year} "
                f"template {self.template}, {len(self.cells)} cells, {failed} failed checks>")


def cells_at(cells: pd.DataFrame, table: str, row: str | None = None, column: str | None = None) -> pd.Series:
    """Which cells are of `table`, narrowed to a row and a column when given ('' or None: all)."""
    mask = cells["table"] == table
    if row:
        mask &= cells["row"] == row
    if column:
        mask &= cells["column"] == column
    return mask


Place = tuple[str, str | None, str | None]  # table, row, column ('' of a check → None)


def narrowest(cells: pd.DataFrame, table: str, row: str = "", column: str = "") -> Place | None:
    """The narrowest cells a check names that the report has: its cell, else its row, else its table
    (a row missing from a cut-off table); None for a check about no table or a table not found."""
    if not table:
        return None
    for place in ((table, row or None, column or None), (table, row or None, None), (table, None, None)):
        if cells_at(cells, *place).any():
            return place
    return None


def places(cells: pd.DataFrame) -> list[Cell]:
    """The printed place of each row of a cells frame, as the reader's `Cell` (0-based) again."""
    def number(v: Any) -> int | None:
        return None if pd.isna(v) else int(v)

    out = []
    for r in cells.itertuples(index=False):
        box = None if pd.isna(r.box_x0) else (r.box_x0, r.box_top, r.box_x1, r.box_bottom)
        table, row, col = (None if (n := number(v)) is None else n - 1 for v in (r.source_table, r.source_row,
                                                                                   r.source_col))
        printed = "" if pd.isna(r.printed) else str(r.printed)
        out.append(Cell(printed, number(r.page), table, row, col, line=number(r.line), box=box))
    return out


def _order(v: Value) -> tuple[int, int, int]:
    t = schema.ALL_TABLES.index(v.table)
    if v.row == "unmapped":
        return (t, 10_000, 0)
    rows, cols = schema.ROW_ORDER[v.table], schema.COLUMN_ORDER[v.table]
    return (t, rows.index(v.row), cols.index(v.column) if v.column in cols else len(cols))


def _one_based(n: int | None) -> int | None:
    return None if n is None else n + 1


def _provenance(cells: list[Cell | None]) -> dict[str, list[Any]]:
    """The structured place of each value (outputs.PROVENANCE), 1-based as `source` prints it."""
    boxes = [c.box if c is not None and c.box is not None else (math.nan,) * 4 for c in cells]
    return {
        "page": [c and c.page for c in cells],
        "source_table": [c and _one_based(c.table) for c in cells],
        "source_row": [c and _one_based(c.row) for c in cells],
        "source_col": [c and _one_based(c.col) for c in cells],
        "line": [c and c.line for c in cells],
        **{name: [b[k] for b in boxes] for k, name in enumerate(("box_x0", "box_top", "box_x1", "box_bottom"))},
        "address": [c and c.address for c in cells],
    }


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
        "file": [name] * n,
        **_provenance([v.cell for v in values]),
        "correction": [None] * n,
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

"""A report's own arithmetic (勾稽关系) and completeness, one row per rule evaluated.

Trust comes from checks: every value the parser emits is re-added against the
report's own totals, so a reading error shows up as a failed check.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import schema
from ..parse.tables import Problem, Value

CHECK_COLUMNS = ["rule", "severity", "passed", "table", "row", "column", "expected", "found", "message"]
TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class Check:
    rule: str
    severity: str  # error | warning | info
    passed: bool
    table: str = ""
    row: str = ""
    column: str = ""
    expected: float = math.nan
    found: float = math.nan
    message: str = ""


def _sum_rule(rule: str, table: str, row: str, column: str, parts: list[float | None], total: float | None,
              what: str) -> Check | None:
    """total == sum(parts), evaluated only when every number is there."""
    if total is None or any(p is None for p in parts) or math.isnan(total) or any(math.isnan(p) for p in parts):
        return None
    expected = float(sum(parts))  # type: ignore[arg-type]
    ok = abs(expected - total) <= TOLERANCE
    msg = "" if ok else f"{what}: expected {expected:g}, the report prints {total:g}"
    return Check(rule, "error", ok, table, row, column, expected, total, msg)


def _requests_checks(v: dict[tuple[str, str, str], float], template: str) -> Iterable[Check | None]:
    present = {r for (t, r, _c) in v if t == "requests"}
    outcomes = [r for r in schema.expected_rows("requests", template, present) if r in schema.OUTCOME_ROWS]
    for col in schema.COLUMN_ORDER["requests"]:
        cell = {row: v.get(("requests", row, col)) for row in schema.ROW_ORDER["requests"]}
        new, over = cell["new_received"], cell["carried_over"]
        yield _sum_rule("requests.balance", "requests", "", col, [cell["total_processed"], cell["carried_forward"]],
                        None if new is None or over is None else new + over,
                        "new_received + carried_over should equal total_processed + carried_forward")
        yield _sum_rule("requests.outcomes_sum", "requests", "total_processed", col, [cell[r] for r in outcomes],
                        cell["total_processed"], "total_processed should equal the sum of the outcome rows")
    for row in (r for r in schema.ROW_ORDER["requests"] if r in present):
        yield _sum_rule("requests.applicant_sum", "requests", row, "total",
                        [v.get(("requests", row, c)) for c in schema.APPLICANT_COLUMNS], v.get(("requests", row, "total")),
                        "total should equal the six applicant columns")


def _review_checks(v: dict[tuple[str, str, str], float]) -> Iterable[Check | None]:
    for row in schema.REVIEW_ROWS:
        parts = [v.get(("review", row.key, c.key)) for c in schema.REVIEW_COLUMNS[:-1]]
        yield _sum_rule("review.results_sum", "review", row.key, "total", parts,
                        v.get(("review", row.key, "total")), "total should equal upheld + corrected + other + pending")


def _completeness(template: str, v: dict[tuple[str, str, str], float]) -> Iterable[Check]:
    for table in schema.TABLES:
        rows = {r for (t, r, _c) in v if t == table}
        if not rows:
            yield Check("completeness.table", "error", False, table,
                        message=f"table {schema.TABLE_LABELS[table]} not found")
            continue
        missing = [r for r in schema.expected_rows(table, template, rows) if r not in rows]
        for r in missing:
            yield Check("completeness.row", "error", False, table, r,
                        message=f"row {schema.row_label(table, template, r)} not found")
        if not missing:
            yield Check("completeness.table", "info", True, table, message="every row found")


def run_checks(
    values: list[Value], problems: list[Problem], template: str, agency: str | None, year: int | None
) -> pd.DataFrame:
    """Evaluate every rule that applies to a report; see CHECK_COLUMNS."""
    checks: list[Check | None] = [
        Check("metadata.year", "error", year is not None, found=year if year else math.nan,
              message="" if year else "the covered year is not printed in the document"),
        Check("metadata.agency", "warning", agency is not None,
              message="" if agency else "the document does not print the agency's name (only 'we' or nothing)"),
    ]
    if template == "legacy":
        checks.append(Check("template.legacy", "info", True, message="pre-2019 layout: no standard tables to read"))
    else:
        v = {(x.table, x.row, x.column): x.value for x in values if x.row != "unmapped"}
        checks.extend(_completeness(template, v))
        checks.extend(_requests_checks(v, template))
        checks.extend(_review_checks(v))
        for x in values:
            if x.flag in ("unreadable", "missing"):
                checks.append(Check(f"value.{x.flag}", "error", False, x.table, x.row, x.column,
                                    message=f"{'cannot read' if x.flag == 'unreadable' else 'no'} value"
                                    f"{' ' + repr(x.cell.text) if x.cell and x.flag == 'unreadable' else ''}"))
        for table in schema.TABLES:
            blanks = sum(1 for x in values if x.table == table and x.flag == "blank")
            if blanks:
                checks.append(Check("value.blank_as_zero", "warning", False, table, found=blanks,
                                    message=f"{blanks} cells printed empty or as a blank mark read as 0"))
    checks.extend(Check(p.rule, p.severity, False, p.table, p.row, p.column, message=p.message) for p in problems)
    done = [c for c in checks if c is not None]
    frame = {name: [getattr(c, name) for c in done] for name in CHECK_COLUMNS}
    frame["passed"] = np.array(frame["passed"], dtype=bool)
    frame["expected"] = np.array(frame["expected"], dtype=float)
    frame["found"] = np.array(frame["found"], dtype=float)
    for key in ("rule", "severity", "table", "row", "column", "message"):
        frame[key] = pd.array(frame[key], dtype="str")
    return pd.DataFrame(frame, columns=CHECK_COLUMNS)

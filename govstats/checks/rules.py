"""A report's own arithmetic (勾稽关系) and completeness, one row per rule evaluated.

Trust comes from checks: every value the parser emits is re-added against the
report's own totals, so a reading error shows up as a failed check. Each rule is one
function registered with its id, severity and meaning (`registry.rule`); `run_checks`
evaluates those that apply to the report's template, in registration order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import groupby

import pandas as pd

from .. import schema
from ..documents.model import Cell
from ..parse.tables import Problem, Value
from ..schema import outputs
from ..schema.enums import Flag, Severity, Template
from .registry import ALL_TEMPLATES, RULES, Finding, Scope, declare, rule, rules

CHECK_COLUMNS = [f.name for f in outputs.CHECKS.report_fields]  # the columns of Report.checks
TOLERANCE = 1e-6
Key = tuple[str, str, str]


@dataclass(frozen=True)
class Facts:
    """What a report's rules look at: its values, the mapped ones by (table, row, column), its metadata."""

    values: list[Value]
    numbers: dict[Key, float]
    template: str
    agency: str | None
    year: int | None

    def rows(self, table: str) -> set[str]:
        """The row keys of `table` the report prints."""
        return {r for (t, r, _c) in self.numbers if t == table}

    def missing_rows(self, table: str) -> list[str]:
        """Rows the template prescribes that a printed table lacks."""
        rows = self.rows(table)
        return [r for r in schema.expected_rows(table, self.template, rows) if r not in rows] if rows else []


def _sum(table: str, row: str, column: str, parts: list[float | None], total: float | None,
         what: str) -> Iterator[Finding]:
    """total == sum(parts), evaluated only when every number is there."""
    numbers = [p for p in parts if p is not None]
    if total is None or len(numbers) < len(parts) or math.isnan(total) or any(math.isnan(p) for p in numbers):
        return
    expected = float(sum(numbers))
    ok = abs(expected - total) <= TOLERANCE
    yield Finding(ok, table, row, column, expected, total,
                  "" if ok else f"{what}: expected {expected:g}, the report prints {total:g}")


# ------------------------------------------------------------------ metadata and template
@rule("metadata.year", Severity.ERROR, templates=ALL_TEMPLATES,
      en="the document prints the year the report covers", zh="文档印出报告所属年度")
def _year(f: Facts) -> Iterator[Finding]:
    yield Finding(f.year is not None, found=f.year if f.year else math.nan,
                  message="" if f.year else "the covered year is not printed in the document")


@rule("metadata.agency", Severity.WARNING, templates=ALL_TEMPLATES,
      en="the document prints the agency's name", zh="文档印出发布机关名称")
def _agency(f: Facts) -> Iterator[Finding]:
    yield Finding(f.agency is not None,
                  message="" if f.agency else "the document does not print the agency's name (only 'we' or nothing)")


@rule("template.legacy", Severity.INFO, templates=(Template.LEGACY,),
      en="a pre-2019 layout: no national tables; its 统计表 and the figures its sentences state are read as table "
         "`legacy` (recorded, never fails)",
      zh="2019年以前的格式：无全国统一表格，统计表和文中所述数字读入 legacy 表（仅记录）")
def _legacy(f: Facts) -> Iterator[Finding]:
    yield Finding(True, message="pre-2019 layout: read as table legacy")


# ------------------------------------------------------------------ completeness
def _tables(f: Facts) -> Iterable[str]:
    return ("legacy",) if f.template == Template.LEGACY else schema.TABLES


@rule("completeness.table", Severity.ERROR, each=_tables,
      en="each of the three tables is found (a passing row, severity info, once every row of it is found)",
      zh="三张统计表均找到（各行齐全时记一条信息）")
def _table_found(f: Facts, table: str) -> Iterator[Finding]:
    if not f.rows(table):
        yield Finding(False, table, message=f"table {schema.TABLE_LABELS[table]} not found")
    elif not f.missing_rows(table):
        yield Finding(True, table, message="every row found", severity=Severity.INFO)


@rule("completeness.row", Severity.ERROR, each=_tables,
      en="every row the template prescribes is found in a table that is found", zh="模板规定的每一行均找到")
def _rows_found(f: Facts, table: str) -> Iterator[Finding]:
    for r in f.missing_rows(table):
        yield Finding(False, table, r, message=f"row {schema.row_label(table, f.template, r)} not found")


@rule("columns.by_header", Severity.INFO, each=_tables,
      en="the columns of table 二's sections, table 三's applicants and table 四's groups and results are told by "
         "their printed header cells (failed: not all printed, read in the national template's order)",
      zh="表二各项、表三申请人各列、表四各组与结果列按表头文字对应（表头不全时按全国模板列序读取）")
def _columns_by_header(f: Facts, table: str) -> Iterator[Finding]:
    told = {x.by_header for x in f.values if x.table == table and x.by_header is not None}
    if told:
        ok = told == {True}
        yield Finding(ok, table, message="" if ok else "no printed header cells name every column: "
                      "values read in the national template's column order")


# ------------------------------------------------------------------ table 三 and 四 arithmetic
def _request_columns(f: Facts) -> Iterable[str]:
    return schema.COLUMN_ORDER["requests"]


@rule("requests.balance", Severity.ERROR, each=_request_columns,
      en="new_received + carried_over == total_processed + carried_forward, per column", zh="一+二=（七）+四（每列）")
def _balance(f: Facts, col: str) -> Iterator[Finding]:
    new, over = f.numbers.get(("requests", "new_received", col)), f.numbers.get(("requests", "carried_over", col))
    yield from _sum("requests", "", col, [f.numbers.get(("requests", r, col)) for r in ("total_processed",
                                                                                      "carried_forward")],
                    None if new is None or over is None else new + over,
                    "new_received + carried_over should equal total_processed + carried_forward")


@rule("requests.outcomes_sum", Severity.ERROR, each=_request_columns,
      en="total_processed == the sum of the outcome rows, per column", zh="（七）总计=各项办理结果之和（每列）")
def _outcomes_sum(f: Facts, col: str) -> Iterator[Finding]:
    outcomes = [r for r in schema.expected_rows("requests", f.template, f.rows("requests")) if r in schema.OUTCOME_ROWS]
    yield from _sum("requests", "total_processed", col, [f.numbers.get(("requests", r, col)) for r in outcomes],
                    f.numbers.get(("requests", "total_processed", col)),
                    "total_processed should equal the sum of the outcome rows")


def _request_rows(f: Facts) -> Iterable[str]:
    present = f.rows("requests")
    return [r for r in schema.ROW_ORDER["requests"] if r in present]


@rule("requests.applicant_sum", Severity.ERROR, each=_request_rows,
      en="total == the sum of the six applicant columns, per row", zh="总计=六类申请人之和（每行）")
def _applicant_sum(f: Facts, row: str) -> Iterator[Finding]:
    yield from _sum("requests", row, "total", [f.numbers.get(("requests", row, c)) for c in schema.APPLICANT_COLUMNS],
                    f.numbers.get(("requests", row, "total")), "total should equal the six applicant columns")


def _review_rows(f: Facts) -> Iterable[str]:
    return [r.key for r in schema.REVIEW_ROWS]


@rule("review.results_sum", Severity.ERROR, each=_review_rows,
      en="total == upheld + corrected + other + pending, per row", zh="总计=维持+纠正+其他+尚未审结（每行）")
def _results_sum(f: Facts, row: str) -> Iterator[Finding]:
    yield from _sum("review", row, "total", [f.numbers.get(("review", row, c.key)) for c in schema.REVIEW_COLUMNS[:-1]],
                    f.numbers.get(("review", row, "total")), "total should equal upheld + corrected + other + pending")


# ------------------------------------------------------------------ values
def _values(f: Facts) -> Iterable[Value]:
    return f.values


@rule("value.unreadable", Severity.ERROR, each=_values, templates=ALL_TEMPLATES,
      en="every printed cell reads as a number (one failure per cell that does not)", zh="印出的单元格均可读为数字")
def _unreadable(f: Facts, x: Value) -> Iterator[Finding]:
    if x.flag == Flag.UNREADABLE:
        yield Finding(False, x.table, x.row, x.column,
                      message=f"cannot read value{' ' + repr(x.cell.text) if x.cell else ''}")


@rule("value.missing", Severity.ERROR, each=_values, templates=ALL_TEMPLATES,
      en="every column of a row has a value (one failure per cell the row lacks)", zh="行内每列均有数值")
def _missing(f: Facts, x: Value) -> Iterator[Finding]:
    if x.flag == Flag.MISSING:
        yield Finding(False, x.table, x.row, x.column, message="no value")


@rule("value.blank_as_zero", Severity.WARNING, each=_tables, templates=ALL_TEMPLATES,
      en="cells printed empty or as a blank mark (—, /, 无) and read as 0, counted per table",
      zh="印为空白或“—”“/”“无”而读作0的单元格（按表计数）")
def _blank_as_zero(f: Facts, table: str) -> Iterator[Finding]:
    blanks = sum(1 for x in f.values if x.table == table and x.flag == Flag.BLANK)
    if blanks:
        yield Finding(False, table, found=blanks, message=f"{blanks} cells printed empty or as a blank mark read as 0")


@rule("value.inferred", Severity.WARNING, each=_tables, templates=ALL_TEMPLATES,
      en="values that ran together in a text dump and were read by the table's identities (one finding per row)",
      zh="文本中连在一起、按勾稽关系唯一推定的数值（每行一条）")
def _inferred(f: Facts, table: str) -> Iterator[Finding]:
    rows = dict.fromkeys((x.row, x.cell.text if x.cell else "") for x in f.values
                         if x.table == table and x.flag == Flag.INFERRED)
    for row, printed in rows:
        yield Finding(False, table, row, message=f"values printed as {printed!r}: the only reading that satisfies "
                      "the table's identities")


# ------------------------------------------------------------------ the legacy 统计表 (before 2019)
_LEGACY = (Template.LEGACY,)
# outcomes must add up; the channels (其中 网站 / 公报, 当面 / 网上 …) may not be exhaustive
_ANSWERS = ("answers_total", "admin_reviews", "suits")


def _legacy_parts(f: Facts) -> Iterable[tuple[str, str]]:
    return [(top, col) for top in schema.LEGACY_PARTS for col in schema.LEGACY_VALUE_COLUMNS
            if ("legacy", top, col) in f.numbers]


def _parts_sum(f: Facts, item: tuple[str, str], outcomes: bool) -> Iterator[Finding]:
    top, col = item
    if (top in _ANSWERS) != outcomes:
        return
    parts = [f.numbers[("legacy", r, col)] for r in schema.LEGACY_PARTS[top] if ("legacy", r, col) in f.numbers]
    if parts:
        yield from _sum("legacy", top, col, list(parts), f.numbers[("legacy", top, col)],
                        f"{top} should equal the sum of the rows under it")


@rule("legacy.outcomes_sum", Severity.ERROR, templates=_LEGACY, each=_legacy_parts,
      en="the answers total, the reviews and the suits each equal the sum of their printed outcome rows "
         "(同意公开 + 同意部分公开 + 不同意公开 …; 维持 + 纠错 + 其他), per column",
      zh="答复总数、行政复议数、行政诉讼数分别等于其下各结果之和（每列）")
def _legacy_outcomes(f: Facts, item: tuple[str, str]) -> Iterator[Finding]:
    yield from _parts_sum(f, item, outcomes=True)


@rule("legacy.channels_sum", Severity.WARNING, templates=_LEGACY, each=_legacy_parts,
      en="the active items and the requests each equal the sum of their printed channels (其中 网站 + 公报; "
         "当面 + 网上 + 信函 …), per column (a warning: a table may list only some channels)",
      zh="主动公开信息数、受理申请总数分别等于其下各渠道之和（每列；只列部分渠道时为提醒）")
def _legacy_channels(f: Facts, item: tuple[str, str]) -> Iterator[Finding]:
    yield from _parts_sum(f, item, outcomes=False)


def _legacy_rows(f: Facts) -> Iterable[str]:
    return [r for r in schema.ROW_ORDER["legacy"] if ("legacy", r, "cumulative") in f.numbers]


@rule("legacy.cumulative", Severity.WARNING, templates=_LEGACY, each=_legacy_rows,
      en="历年累计 (the running total) is at least the year's figure, per row", zh="历年累计不小于本年度数（每行）")
def _legacy_cumulative(f: Facts, row: str) -> Iterator[Finding]:
    year, total = f.numbers.get(("legacy", row, "value")), f.numbers[("legacy", row, "cumulative")]
    if year is not None and not math.isnan(year) and not math.isnan(total):
        ok = total >= year
        yield Finding(ok, "legacy", row, "cumulative", year, total,
                      "" if ok else f"the running total {total:g} is below the year's {year:g}")


@rule("legacy.requests_found", Severity.WARNING, templates=_LEGACY,
      en="the number of requests is printed in the 统计表 or stated in a sentence (completeness of a legacy report)",
      zh="受理（收到）申请数印于统计表或见于文中（旧格式报告的完整性）")
def _legacy_requests(f: Facts) -> Iterator[Finding]:
    found = ("legacy", "requests_received", "value") in f.numbers
    yield Finding(found, "legacy", "requests_received", "value",
                  message="" if found else "neither a 统计表 row nor a sentence gives the number of requests")


def _stated_rows(f: Facts) -> Iterable[str]:
    return [r for r in schema.ROW_ORDER["legacy"] if ("legacy", r, "stated") in f.numbers]


@rule("legacy.prose_agrees", Severity.WARNING, templates=_LEGACY, each=_stated_rows,
      en="a figure a sentence states equals the 统计表's figure for the same row (both are kept)",
      zh="文中所述数字与统计表同一行的数字一致（两者均保留）")
def _legacy_prose_agrees(f: Facts, row: str) -> Iterator[Finding]:
    stated, printed = f.numbers[("legacy", row, "stated")], f.numbers.get(("legacy", row, "value"))
    if printed is not None and not math.isnan(printed):
        ok = abs(stated - printed) <= TOLERANCE
        yield Finding(ok, "legacy", row, "stated", printed, stated,
                      "" if ok else f"the text states {stated:g}, the table prints {printed:g}")


# ------------------------------------------------------------------ found while reading (parse.tables.Problem)
declare("row_values", Severity.ERROR, templates=ALL_TEMPLATES,
        en="a row has a value for every column (a warning when the document ends first); a text row whose values "
           "ran together fails when its identities leave more than one reading or none",
        zh="每行的数值个数与列数相同（文档在行中结束时为提醒）；文本中数字连在一起且按勾稽关系不能唯一读出时不通过")
declare("duplicate_row", Severity.WARNING, templates=ALL_TEMPLATES,
        en="a row is printed once (a repeat is ignored, the first kept)", zh="同一行只印一次（重复时取第一次）")
declare("unmapped_row", Severity.WARNING, templates=ALL_TEMPLATES,
        en="every row is one of the template's (another row is kept with row `unmapped`; in a legacy 统计表, an "
           "indicator no key maps, with its printed label)",
        zh="每行均为模板中的行（其他行保留为 unmapped）")

# ------------------------------------------------------------------ found by the build (govstats.dataset.resolve)
AGENCY_RESOLVED = "metadata.agency_resolved"
declare(AGENCY_RESOLVED, Severity.WARNING, templates=ALL_TEMPLATES,
        en="the report's agency is one of the agency register (by override, manifest, printed name or site); "
           "evaluated by `build`, which knows the manifest and the site",
        zh="报告的发布机关可在机关名录中确定（人工更正、抓取清单、印出名称或网站；由 build 检查）")


def run_checks(
    values: list[Value], problems: list[Problem], template: str, agency: str | None, year: int | None
) -> pd.DataFrame:
    """Evaluate every rule that applies to a report, then add what the parser found; see CHECK_COLUMNS."""
    facts = Facts(values, {(x.table, x.row, x.column): x.value for x in values if x.row != "unmapped"},
                  template, agency, year)
    ids: list[str] = []
    findings: list[Finding] = []
    applicable = [r for r in rules(Scope.REPORT) if r.evaluate is not None and template in r.templates]
    for each, batch in groupby(applicable, key=lambda r: r.each):
        group = list(batch)
        for item in each(facts) if each else (None,):
            for r in group:
                for x in r.evaluate(facts) if each is None else r.evaluate(facts, item):  # type: ignore[misc]
                    ids.append(r.id)
                    findings.append(x if x.severity else replace(x, severity=r.severity))
    for p in problems:
        ids.append(p.rule)
        findings.append(Finding(False, p.table, p.row, p.column, message=p.message, severity=Severity(p.severity)))
    columns = {"rule": ids} | {name: [getattr(x, name) for x in findings] for name in CHECK_COLUMNS if name != "rule"}
    return pd.DataFrame({f.name: pd.array(columns[f.name], dtype=f.pandas) for f in outputs.CHECKS.report_fields})


# The identities and what they add up: a row's columns, or a column's rows (`involved`).
_ALONG = {"requests.balance": "column", "requests.outcomes_sum": "column", "requests.applicant_sum": "row",
          "review.results_sum": "row"}


def involved(rule: str, table: str, row: str, column: str) -> tuple[str, str, str]:
    """The cells a finding is about, as (table, row, column) with '' for all: an identity's whole row or column
    (every number it adds up), else the cell, row or table the finding names."""
    along = _ALONG.get(rule)
    if along == "row" and row:
        return table, row, ""
    if along == "column" and column:
        return table, "", column
    return table, row, column


def recheck(cells: pd.DataFrame, checks: pd.DataFrame) -> pd.DataFrame:
    """A report's checks evaluated again on its cells as they now stand (a value corrected by the user).

    What the cells cannot tell is taken from the first evaluation: the parser's problems (rules
    without a function, kept as found) and whether each table's columns were told by header cells. So a report
    whose values did not change gets back exactly the checks it had, in the same order.
    """
    by_header = {t: bool(p) for t, p in checks.loc[checks["rule"] == "columns.by_header", ["table", "passed"]]
                 .itertuples(index=False)}
    values = [Value(t, r, c, v, f, Cell(p) if isinstance(p, str) else None, by_header=by_header.get(t))
              for t, r, c, v, f, p in cells[["table", "row", "column", "value", "flag", "printed"]]
              .itertuples(index=False)]
    first = cells.iloc[0]
    year = None if pd.isna(first["year"]) else int(first["year"])
    agency = first["agency"] if isinstance(first["agency"], str) else None
    fresh = run_checks(values, [], str(first["template"]), agency, year)
    found = checks[[RULES[r].evaluate is None for r in checks["rule"]]]  # run_checks puts them last
    return pd.concat([fresh, found], ignore_index=True)

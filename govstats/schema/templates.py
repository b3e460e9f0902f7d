"""The official templates as printed: markers that tell them apart, headings, header cells, layout.

The template of a report is read from its structure, not from its year (2021-2023 reports
still print the 2019 layout). `layouts` is the printed form of the three tables, merged
cells included: generated reports are rendered from it and the per-report Excel sheets
are laid out by it, so both follow the schema's labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..normalize import normalize_label
from .tables import (
    ACTIVE_COLUMNS,
    ACTIVE_ROWS,
    OTHER_SUBROWS,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
    TABLE_LABELS,
    Column,
    headings_opened,
)
from .variants import header_cells

# ---------------------------------------------------------------- structure
# Headings that open each table (normalised text, searched in short cells).
TABLE_HEADINGS = {
    "active": r"主动公开政府信息(?:的)?情况$",
    "requests": r"收到和处理政府信息公开申请(?:的)?情况$",
    "review": r"行政复议.{0,4}(?:提起)?行政诉讼(?:的)?情况$",
}
# Any later numbered section heading ends the statistical tables.
SECTION_END = r"^[五六七八]、"

# Header cells printed inside the tables: never row labels, never values (data/header_cells.csv).
HEADER_CELLS = header_cells()

# Header cells only the review table prints: its column headings and its row headings.
REVIEW_HEADER = "|".join([c.label for c in REVIEW_COLUMNS[:-1]] + [r.pattern for r in REVIEW_ROWS])



@dataclass(frozen=True)
class HeaderSet:
    """How printed header cells name a table's columns: a cell per column, and group cells over some.

    `leaves` are (key, pattern) for the cell over one column; `groups` are (pattern, member keys)
    for a merged cell over several (法人或其他组织 over five applicant columns). Patterns apply to
    normalised text and are searched, so one cell may name several columns in print order.
    """

    leaves: tuple[tuple[str, str], ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.leaves)


def _whole(label: str) -> str:
    return f"^{re.escape(label)}$"


def _grouped(columns: tuple[Column, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    groups = dict.fromkeys(c.group for c in columns if c.group)
    return tuple((_whole(g), tuple(c.key for c in columns if c.group == g)) for g in groups)


# The header cells of table 三's applicant columns, of table 四's three column groups and of
# the results under each group: the parser maps values to columns by these where they are printed.
APPLICANT_HEADS = HeaderSet(tuple((c.key, _whole(c.label)) for c in REQUEST_COLUMNS), _grouped(REQUEST_COLUMNS))
REVIEW_ROW_HEADS = HeaderSet(
    tuple((r.key, r.pattern) for r in REVIEW_ROWS),
    tuple((_whole(g), tuple(r.key for r in REVIEW_ROWS if r.group == g))
          for g in dict.fromkeys(r.group for r in REVIEW_ROWS if r.group)),
)
REVIEW_RESULT_HEADS = HeaderSet(tuple((c.key, _whole(c.label)) for c in REVIEW_COLUMNS))
# Table 二's column headers, per template: searched, so 现行有效件数（历史累计） and 采购总金额（万元） match.
ACTIVE_HEADS = {t: HeaderSet(tuple((c.key, re.escape(normalize_label(c.label))) for c in cols))
                for t, cols in ACTIVE_COLUMNS.items()}

# A procurement amount printed in 万元 is converted to yuan (SCHEMA.md).
PROCUREMENT_10K_HEADER = r"采购总金额.*万元"

# Structure markers that tell the table layout apart.
TEMPLATE_MARKERS = {
    "2021": (r"本年制发件数", r"本年废止件数", r"现行有效件数", r"本年收费金额", r"逾期不补正", r"缴纳费用"),
    "2019": (
        r"本年新制作数量",
        r"本年新公开数量",
        r"对外公开总数量",
        r"其他对外管理服务事项",
        r"政府集中采购",
        r"上一年项目数量",
        r"本年增/减",
    ),
}
# Sections only the post-2019 reports have; and a legacy-only vocabulary.
MODERN_MARKER = r"收到和处理政府信息公开申请"
LEGACY_MARKER = r"依申请公开(?:政府信息)?(?:的|办理)?情况"
REPORT_MARKER = r"政府信息公开"  # a document without it is not a report

# ---------------------------------------------------------------- printed text
# Header cells the official templates print (renderers lay them out; the parser skips them).
CONTENT_HEADER = "信息内容"
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_HEADER = "申请人情况"
# The other numbered sections and the title of a report, for generated reports.
OTHER_SECTIONS = ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
REPORT_TITLE = "{agency}{year}年政府信息公开工作年度报告"
GENERATED_SHEET = "年度报告"  # the worksheet generated spreadsheet reports are written to

# ---------------------------------------------------------------- layout
Key = tuple[str, str, str]  # (table, row, column)


@dataclass(frozen=True)
class LayoutRow:
    """One printed table row: label cells with their spans, then the value keys."""

    labels: tuple[tuple[str, int, int], ...]  # (text, rowspan, colspan)
    keys: tuple[Key, ...]
    value_colspan: int = 1


def request_rows(other_single_row: bool) -> tuple[str, ...]:
    """The rows table 三 prints: （六）其他处理 as one row, or as its three 2021 sub-rows."""
    skip = OTHER_SUBROWS if other_single_row else ("other",)
    return tuple(r.key for r in REQUEST_ROWS if r.key not in skip)


def active_layout(template: str) -> list[LayoutRow]:
    """Table 二: each 第二十条 section heading, its column headers, then its rows."""
    cols = {c.key: c.label for c in ACTIVE_COLUMNS[template]}
    rows = ACTIVE_ROWS[template]
    out: list[LayoutRow] = []
    for row, opened in zip(rows, headings_opened(rows)):
        n = len(row.columns)
        span = 3 // n if n < 3 else 1
        if opened:
            out.append(LayoutRow(((row.section, 1, 4),), ()))
            heads = [(CONTENT_HEADER, 1, 1)] + [(cols[c], 1, span) for c in row.columns]
            if span * n < 3:
                heads[-1] = (heads[-1][0], 1, 3 - span * (n - 1))
            out.append(LayoutRow(tuple(heads), ()))
        keys = tuple(("active", row.key, c) for c in row.columns)
        out.append(LayoutRow(((row.label, 1, 1),), keys, span if n > 1 else 3))
    return out


def request_layout(other_single_row: bool) -> list[LayoutRow]:
    """Table 三: two levels of vertical groups (section, group), as the template merges them."""
    printed = request_rows(other_single_row)
    rows = [r for r in REQUEST_ROWS if r.key in printed]
    person, org, total = REQUEST_COLUMNS[0], REQUEST_COLUMNS[1], REQUEST_COLUMNS[-1]
    out: list[LayoutRow] = [
        LayoutRow(((BALANCE_NOTE, 3, 3), (APPLICANT_HEADER, 1, 7)), ()),
        LayoutRow(((person.label, 2, 1), (org.group, 1, 5), (total.label, 2, 1)), ()),
        LayoutRow(tuple((c.label, 1, 1) for c in REQUEST_COLUMNS[1:-1]), ()),
    ]
    for k, row in enumerate(rows):
        cells: list[tuple[str, int, int]] = []
        for heading, level in ((row.section, "section"), (row.group, "group")):
            if heading and (k == 0 or getattr(rows[k - 1], level) != heading):
                cells.append((heading, sum(1 for r in rows if getattr(r, level) == heading), 1))
        width = 3 - (1 if row.section else 0) - (1 if row.group else 0)
        cells.append((row.label, 1, width))
        out.append(LayoutRow(tuple(cells), tuple(("requests", row.key, c.key) for c in REQUEST_COLUMNS)))
    return out


def review_layout() -> list[LayoutRow]:
    """Table 四, sideways: 行政复议 and 行政诉讼's two sub-headings over five result columns each."""
    res = [(c.label, 1, 1) for c in REVIEW_COLUMNS]
    first = [(c.label, 2, 1) for c in REVIEW_COLUMNS]
    review, direct, after = REVIEW_ROWS
    return [
        LayoutRow(((review.label, 1, 5), (direct.group, 1, 10)), ()),
        LayoutRow(tuple(first) + ((direct.label, 1, 5), (after.label, 1, 5)), ()),
        LayoutRow(tuple(res * 2), ()),
        LayoutRow((), tuple(("review", r.key, c.key) for r in REVIEW_ROWS for c in REVIEW_COLUMNS)),
    ]


def layouts(template: str, other_single_row: bool) -> list[tuple[str, list[LayoutRow]]]:
    """The three tables of a template as printed, each after its heading."""
    return [(TABLE_LABELS["active"], active_layout(template)),
            (TABLE_LABELS["requests"], request_layout(other_single_row)),
            (TABLE_LABELS["review"], review_layout())]

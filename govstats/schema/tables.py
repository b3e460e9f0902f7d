"""The canonical tables (see SCHEMA.md): English keys with the official labels as fields.

A label is stored as its parts: a row's own words, and the section and group headings
the template prints over it in merged cells (三、本年度办理结果, （三）不予公开); a column's
own words and the header over it (法人或其他组织). Nothing packs them into one string, so
nothing has to unpack them: layouts read the fields, and `row_label` / `column_label`
compose the one-line form the tidy cells carry. The patterns that recognise a row's
printed label are data (`data/label_variants.csv`, read by `variants`).
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass, replace
from functools import cache

from .variants import row_patterns

TABLES = ("active", "requests", "review")  # the national tables of 2019+, in a report of template 2019 / 2021
ALL_TABLES = (*TABLES, "legacy")  # and the pre-2019 统计表 (and its figures stated in prose)

TABLE_LABELS = {
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "review": "四、政府信息公开行政复议、行政诉讼情况",
    "legacy": "政府信息公开情况统计表",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # its own header cell
    group: str = ""  # the header cell printed over it and its neighbours

    @property
    def full_label(self) -> str:
        """The header path, outer heading first ('法人或其他组织 / 商业企业')."""
        return f"{self.group} / {self.label}" if self.group else self.label


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # its own words, as printed in its label cell
    templates: tuple[str, ...]
    columns: tuple[str, ...] = ()  # for `active`: the column keys of this row
    section: str = ""  # the numbered section heading over it (三、本年度办理结果, 第二十条第（一）项)
    group: str = ""  # the group heading over it (（三）不予公开; 行政诉讼 for review)
    pattern: str = ""  # regex on normalised text: the alternation of its lines in label_variants.csv
    unit: str = ""  # legacy: the unit its 计量单位 column prints (条, 件, 元, 万元)


def _patterned(table: str, rows: tuple[Row, ...]) -> tuple[Row, ...]:
    """The rows with their patterns from the variants data (every row must have a line)."""
    patterns = row_patterns()
    return tuple(replace(r, pattern=patterns[(table, r.key)]) for r in rows)


# ---------------------------------------------------------------- requests
_ORG = "法人或其他组织"
REQUEST_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial_enterprise", "商业企业", _ORG),
    Column("research_institution", "科研机构", _ORG),
    Column("social_welfare_org", "社会公益组织", _ORG),
    Column("legal_service_org", "法律服务机构", _ORG),
    Column("other_org", "其他", _ORG),
    Column("total", "总计"),
)
APPLICANT_COLUMNS = tuple(c.key for c in REQUEST_COLUMNS[:-1])

_B = ("2019", "2021")
_RESULTS = "三、本年度办理结果"
_DENIED, _UNAVAILABLE, _REJECTED, _OTHER = "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"
REQUEST_ROWS = _patterned("requests", (
    Row("new_received", "一、本年新收政府信息公开申请数量", _B),
    Row("carried_over", "二、上年结转政府信息公开申请数量", _B),
    Row("granted", "（一）予以公开", _B, section=_RESULTS),
    Row("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", _B, section=_RESULTS),
    Row("denied_state_secret", "1.属于国家秘密", _B, section=_RESULTS, group=_DENIED),
    Row("denied_prohibited_by_law", "2.其他法律行政法规禁止公开", _B, section=_RESULTS, group=_DENIED),
    Row("denied_security_stability", "3.危及“三安全一稳定”", _B, section=_RESULTS, group=_DENIED),
    Row("denied_third_party_rights", "4.保护第三方合法权益", _B, section=_RESULTS, group=_DENIED),
    Row("denied_internal_affairs", "5.属于三类内部事务信息", _B, section=_RESULTS, group=_DENIED),
    Row("denied_process_info", "6.属于四类过程性信息", _B, section=_RESULTS, group=_DENIED),
    Row("denied_enforcement_file", "7.属于行政执法案卷", _B, section=_RESULTS, group=_DENIED),
    Row("denied_admin_query", "8.属于行政查询事项", _B, section=_RESULTS, group=_DENIED),
    Row("unavailable_not_held", "1.本机关不掌握相关政府信息", _B, section=_RESULTS, group=_UNAVAILABLE),
    Row("unavailable_needs_creation", "2.没有现成信息需要另行制作", _B, section=_RESULTS, group=_UNAVAILABLE),
    Row("unavailable_unclear", "3.补正后申请内容仍不明确", _B, section=_RESULTS, group=_UNAVAILABLE),
    Row("rejected_petition", "1.信访举报投诉类申请", _B, section=_RESULTS, group=_REJECTED),
    Row("rejected_duplicate", "2.重复申请", _B, section=_RESULTS, group=_REJECTED),
    Row("rejected_publication", "3.要求提供公开出版物", _B, section=_RESULTS, group=_REJECTED),
    Row("rejected_excessive", "4.无正当理由大量反复申请", _B, section=_RESULTS, group=_REJECTED),
    Row("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", _B, section=_RESULTS, group=_REJECTED),
    Row("other", _OTHER, ("2019",), section=_RESULTS),  # printed alone, or over its 2021 sub-rows
    Row("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ("2021",),
        section=_RESULTS, group=_OTHER),
    Row("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", ("2021",),
        section=_RESULTS, group=_OTHER),
    Row("other_other", "3.其他", ("2021",), section=_RESULTS, group=_OTHER),
    Row("total_processed", "（七）总计", _B, section=_RESULTS),
    Row("carried_forward", "四、结转下年度继续办理", _B),
))
OUTCOME_ROWS = tuple(r.key for r in REQUEST_ROWS[2:-2])  # summed into total_processed
OTHER_SUBROWS = ("other_no_correction", "other_no_fee", "other_other")

# Outcome groups used by analysis; keys only, labels for display.
OUTCOME_GROUPS = {
    "granted": ("予以公开", ("granted",)),
    "partially_granted": ("部分公开", ("partially_granted",)),
    "denied": ("不予公开", tuple(r.key for r in REQUEST_ROWS if r.key.startswith("denied_"))),
    "unavailable": ("无法提供", tuple(r.key for r in REQUEST_ROWS if r.key.startswith("unavailable_"))),
    "rejected": ("不予处理", tuple(r.key for r in REQUEST_ROWS if r.key.startswith("rejected_"))),
    "other": ("其他处理", ("other",) + OTHER_SUBROWS),
}

# ---------------------------------------------------------------- review
# The template prints this table sideways: its "rows" are column headings over five columns each.
REVIEW_COLUMNS = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
_LITIGATION = "行政诉讼"
REVIEW_ROWS = _patterned("review", (
    Row("admin_review", "行政复议", _B),
    Row("litigation_direct", "未经复议直接起诉", _B, group=_LITIGATION),
    Row("litigation_after_review", "复议后起诉", _B, group=_LITIGATION),
))

# ---------------------------------------------------------------- active
ACTIVE_COLUMNS = {
    "2021": (
        Column("issued", "本年制发件数"),
        Column("repealed", "本年废止件数"),
        Column("in_force", "现行有效件数"),
        Column("decisions", "本年处理决定数量"),
        Column("amount_10k_yuan", "本年收费金额（单位：万元）"),
    ),
    "2019": (
        Column("new_made", "本年新制作数量"),
        Column("new_published", "本年新公开数量"),
        Column("total_published", "对外公开总数量"),
        Column("prior_items", "上一年项目数量"),
        Column("change", "本年增/减"),
        Column("decisions", "处理决定数量"),
        Column("projects", "采购项目数量"),
        Column("amount_yuan", "采购总金额"),
    ),
}
_DOCS21 = ("issued", "repealed", "in_force")
_DOCS19 = ("new_made", "new_published", "total_published")
_ITEMS19 = ("prior_items", "change", "decisions")
_ITEM1, _ITEM5, _ITEM6 = "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项"
_ITEM8, _ITEM9 = "第二十条第（八）项", "第二十条第（九）项"
_T21, _T19 = ("2021",), ("2019",)
ACTIVE_ROWS = {
    "2021": _patterned("active", (
        Row("rules", "规章", _T21, _DOCS21, section=_ITEM1),
        Row("normative_documents", "行政规范性文件", _T21, _DOCS21, section=_ITEM1),
        Row("licensing", "行政许可", _T21, ("decisions",), section=_ITEM5),
        Row("penalty", "行政处罚", _T21, ("decisions",), section=_ITEM6),
        Row("coercion", "行政强制", _T21, ("decisions",), section=_ITEM6),
        Row("fees", "行政事业性收费", _T21, ("amount_10k_yuan",), section=_ITEM8),
    )),
    "2019": _patterned("active", (
        Row("rules", "规章", _T19, _DOCS19, section=_ITEM1),
        Row("normative_documents", "规范性文件", _T19, _DOCS19, section=_ITEM1),
        Row("licensing", "行政许可", _T19, _ITEMS19, section=_ITEM5),
        Row("other_services", "其他对外管理服务事项", _T19, _ITEMS19, section=_ITEM5),
        Row("penalty", "行政处罚", _T19, _ITEMS19, section=_ITEM6),
        Row("coercion", "行政强制", _T19, _ITEMS19, section=_ITEM6),
        Row("fees", "行政事业性收费", _T19, ("prior_items", "change"), section=_ITEM8),
        Row("procurement", "政府集中采购", _T19, ("projects", "amount_yuan"), section=_ITEM9),
    )),
}


# ---------------------------------------------------------------- legacy
# Before 2019 there was no national wording: the indicators of the 统计表 (政府信息公开情况统计表) vary
# by province and year, so `label` is one common printed form and each value's row_label is the
# label as printed; the variants are data (`data/legacy_variants.csv`). A row's `group` is the row
# it is a part of (其中…): the table's identities, and the row a repeated label (被依法纠错数 under
# 行政复议数量 and again under 行政诉讼数量) belongs to.
LEGACY_COLUMNS = (
    Column("value", "本年度"),  # the year's figure (printed 2011年度 …)
    Column("cumulative", "历年累计"),  # the running total since 2008, where printed
    Column("stated", "文中所述"),  # the figure a sentence states for a row the table also prints
    Column("share", "占比（%）"),  # a share a sentence states (占71.3%)
)
LEGACY_CUMULATIVE_HEADER = r"^历年累计|^累计(?:数)?$"  # the header cell that says the 统计表 prints its second column
_L = ("legacy",)
_ACT, _REQ, _ANS, _REV, _SUIT = "active_total", "requests_received", "answers_total", "admin_reviews", "suits"
LEGACY_ROWS = _patterned("legacy", (
    Row(_ACT, "主动公开信息数", _L, unit="条"),
    Row("active_website", "网站公开", _L, group=_ACT, unit="条"),
    Row("active_gazette", "政府公报公开", _L, group=_ACT, unit="条"),
    Row(_REQ, "受理依申请公开信息总数", _L, unit="件"),
    Row("requests_in_person", "当面申请数", _L, group=_REQ, unit="件"),
    Row("requests_fax", "传真申请数", _L, group=_REQ, unit="件"),
    Row("requests_email", "电子邮件申请数", _L, group=_REQ, unit="件"),
    Row("requests_online", "网上申请数", _L, group=_REQ, unit="件"),
    Row("requests_letter", "信函申请数", _L, group=_REQ, unit="件"),
    Row("requests_letter_fax", "信函、传真申请数", _L, group=_REQ, unit="件"),
    Row("requests_other_channel", "其它形式申请数", _L, group=_REQ, unit="件"),
    Row("requests_closed", "申请办结数", _L, unit="件"),
    Row(_ANS, "对申请的答复总数", _L, unit="件"),
    Row("granted", "同意公开答复数", _L, group=_ANS, unit="件"),
    Row("partially_granted", "同意部分公开答复数", _L, group=_ANS, unit="件"),
    Row("denied", "不同意公开答复数", _L, group=_ANS, unit="件"),
    Row("not_this_body", "不属于本行政机关公开", _L, group=_ANS, unit="件"),
    Row("not_exist", "申请信息不存在", _L, group=_ANS, unit="件"),
    Row("amend_notice", "告知作出更改补充", _L, group=_ANS, unit="件"),
    Row("redirected", "告知通过其他途径办理", _L, group=_ANS, unit="件"),
    Row("other_answers", "其他类型", _L, group=_ANS, unit="件"),
    Row(_REV, "行政复议数量", _L, unit="件"),
    Row("review_upheld", "维持具体行政行为数", _L, group=_REV, unit="件"),
    Row("review_corrected", "被依法纠错数", _L, group=_REV, unit="件"),
    Row("review_other", "其他情形数", _L, group=_REV, unit="件"),
    Row(_SUIT, "行政诉讼数量", _L, unit="件"),
    Row("suits_upheld", "维持具体行政行为或者驳回原告诉讼请求数", _L, group=_SUIT, unit="件"),
    Row("suits_corrected", "被依法纠错数", _L, group=_SUIT, unit="件"),
    Row("suits_other", "其他情形数", _L, group=_SUIT, unit="件"),
    Row("appeals", "行政申诉数", _L, unit="件"),
    Row("appeals_reports", "行政申诉、举报数", _L, unit="件"),
    Row("suits_reports", "接受行政诉讼、举报数", _L, unit="件"),
    Row("complaints", "举报投诉数量", _L, unit="件"),
    Row("fees", "依申请公开信息收取的费用", _L, unit="万元"),
    Row("fee_waivers", "政府信息公开收费减免金额", _L, unit="元"),
    Row("budget", "机构建设和保障经费", _L, unit="万元"),
))
# Figures the legacy reports state only in sentences (`data/prose_patterns.csv`), never in the 统计表.
LEGACY_PROSE_ROWS = (
    Row("info_produced", "制作、获取政府信息总数", _L, unit="条"),
    Row("active_by_publisher", "主动公开政府信息（按发布单位）", _L, unit="条"),
    Row("active_by_category", "主动公开政府信息（按类别）", _L, unit="条"),
    Row("on_request_info", "依申请公开信息数", _L, unit="条"),
    Row("withheld_info", "不予公开信息数", _L, unit="条"),
    Row("site_visits", "政府信息公开专栏访问量", _L, unit="人次"),
    Row("reading_points_units", "公众查阅点汇集单位数", _L, unit="个"),
    Row("bulletin_issues", "政务公开栏期数", _L, unit="期"),
)
# The table's identities: a row == the sum of the rows whose group it is (per value column).
LEGACY_PARTS = {top.key: tuple(r.key for r in LEGACY_ROWS if r.group == top.key)
                for top in LEGACY_ROWS if any(r.group == top.key for r in LEGACY_ROWS)}
LEGACY_VALUE_COLUMNS = ("value", "cumulative")  # the two columns the 统计表 prints


def legacy_row_under(row: Row, parent: str) -> Row:
    """The row a repeated label is under `parent` (被依法纠错数 below 行政诉讼数量 is suits_corrected)."""
    if row.group == parent:
        return row
    return next((r for r in LEGACY_ROWS if r.pattern == row.pattern and r.group == parent), row)


# ---------------------------------------------------------------- lookups
def rows_for(table: str, template: str) -> tuple[Row, ...]:
    """Rows of a table as the template prints them (all variants for `requests`)."""
    if table == "active":
        return ACTIVE_ROWS.get(template, ())
    if table == "legacy":
        return LEGACY_ROWS if template == "legacy" else ()
    return REQUEST_ROWS if table == "requests" else REVIEW_ROWS


def label_tables(template: str) -> tuple[str, ...]:
    """The tables whose rows a printed label may open in a report of the template."""
    return ("legacy",) if template == "legacy" else ("requests", "active")


def columns_for(table: str, template: str) -> tuple[Column, ...]:
    if table == "active":
        return ACTIVE_COLUMNS.get(template, ())
    if table == "legacy":
        return LEGACY_COLUMNS
    return REQUEST_COLUMNS if table == "requests" else REVIEW_COLUMNS


def headings_opened(rows: Sequence[Row]) -> list[tuple[str, ...]]:
    """For each row, the section and group headings it is the first row under.

    The template prints a heading once, in a merged cell that starts at the first row under it.
    """
    out: list[tuple[str, ...]] = []
    before = Row("", "", ())
    for row in rows:
        pairs = ((row.section, before.section), (row.group, before.group))
        out.append(tuple(h for h, prev in pairs if h and h != prev))
        before = row
    return out


@cache
def _row_labels(table: str, template: str) -> dict[str, str]:
    rows = LEGACY_ROWS + LEGACY_PROSE_ROWS if table == "legacy" else rows_for(table, template)
    if table == "review":  # printed as column headings: named by their header path, like columns
        return {r.key: " / ".join(h for h in (r.group, r.label) if h) for r in rows}
    return {r.key: " ".join(heads + (r.label,)) for r, heads in zip(rows, headings_opened(rows))}


def row_label(table: str, template: str, key: str) -> str:
    """A row's label on one line, as the template prints it beside the row's values.

    It starts with the headings the row is the first under ('（三）不予公开 1.属于国家秘密').
    """
    return _row_labels(table, template).get(key, key)


def column_label(table: str, template: str, key: str) -> str:
    return next((c.full_label for c in columns_for(table, template) if c.key == key), key)


def other_rows(printed: Set[str], template: str) -> tuple[str, ...]:
    """How a report prints （六）其他处理: the one row `other` or the three 2021 sub-rows.

    What the report printed decides (real 2023 reports still print one row); a report that
    printed neither is expected in its template's form.
    """
    if printed & set(OTHER_SUBROWS):
        return OTHER_SUBROWS
    return ("other",) if "other" in printed or template == "2019" else OTHER_SUBROWS


def expected_rows(table: str, template: str, printed: Set[str] = frozenset()) -> tuple[str, ...]:
    """Rows whose absence is a completeness failure, （六） in the form the report printed it."""
    keys = [r.key for r in rows_for(table, template) if template in r.templates]
    if table == "requests":
        keys = [k for k in keys if k != "other" and k not in OTHER_SUBROWS]
        at = keys.index("total_processed")
        keys[at:at] = other_rows(printed, template)
    return tuple(keys)


# Output order of rows and columns (every template's keys; SCHEMA.md order).
ROW_ORDER = {
    "active": tuple(dict.fromkeys(r.key for t in ("2019", "2021") for r in ACTIVE_ROWS[t])),
    "requests": tuple(r.key for r in REQUEST_ROWS),
    "review": tuple(r.key for r in REVIEW_ROWS),
    "legacy": tuple(r.key for r in LEGACY_ROWS + LEGACY_PROSE_ROWS),
}
COLUMN_ORDER = {
    "active": tuple(dict.fromkeys(c.key for t in ("2021", "2019") for c in ACTIVE_COLUMNS[t])),
    "requests": tuple(c.key for c in REQUEST_COLUMNS),
    "review": tuple(c.key for c in REVIEW_COLUMNS),
    "legacy": tuple(c.key for c in LEGACY_COLUMNS),
}

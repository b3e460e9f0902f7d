"""The canonical tables of a 政府信息公开工作年度报告 (see SCHEMA.md).

This module is the one place that spells the official Chinese labels and their known
variants. Everything else refers to the English keys. Label knowledge is data: every
`pattern` is a regular expression applied to *normalised* text (see
`govstats.normalize.normalize_label`: NFKC, traditional→simplified, no white space, no
quotes), so the same variant list serves every input format.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..normalize import BLANK_MARKS, PAGE_MARK, UNITS  # noqa: F401  (re-exported: part of what a report holds)

TABLES = ("active", "requests", "review")

TABLE_LABELS = {
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "review": "四、政府信息公开行政复议、行政诉讼情况",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    templates: tuple[str, ...]
    pattern: str
    columns: tuple[str, ...] = ()  # for `active`: the column keys of this row


# ---------------------------------------------------------------- requests
# Row patterns key on the start of each label, so a label that wraps onto a second line
# (pdftotext -layout) or whose row breaks across a page (PDF) still matches on its first part.
REQUEST_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial_enterprise", "法人或其他组织 / 商业企业"),
    Column("research_institution", "法人或其他组织 / 科研机构"),
    Column("social_welfare_org", "法人或其他组织 / 社会公益组织"),
    Column("legal_service_org", "法人或其他组织 / 法律服务机构"),
    Column("other_org", "法人或其他组织 / 其他"),
    Column("total", "总计"),
)
APPLICANT_COLUMNS = tuple(c.key for c in REQUEST_COLUMNS[:-1])

_B = ("2019", "2021")
REQUEST_ROWS = (
    Row("new_received", "一、本年新收政府信息公开申请数量", _B, r"本年新收"),
    Row("carried_over", "二、上年结转政府信息公开申请数量", _B, r"上年结转"),
    Row("granted", "三、本年度办理结果 （一）予以公开", _B, r"(?<!不)予以公开"),
    Row("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", _B, r"部分公开"),
    Row("denied_state_secret", "（三）不予公开 1.属于国家秘密", _B, r"国家秘密"),
    Row("denied_prohibited_by_law", "2.其他法律行政法规禁止公开", _B, r"法规禁止公开|其他法律行政"),
    Row("denied_security_stability", "3.危及“三安全一稳定”", _B, r"危及|三安全一稳定"),
    Row("denied_third_party_rights", "4.保护第三方合法权益", _B, r"保护第三方|第三方合法权益"),
    Row("denied_internal_affairs", "5.属于三类内部事务信息", _B, r"三类内[部容]"),
    Row("denied_process_info", "6.属于四类过程性信息", _B, r"四类过程"),
    Row("denied_enforcement_file", "7.属于行政执法案卷", _B, r"行政执法案"),
    Row("denied_admin_query", "8.属于行政查询事项", _B, r"行政查询"),
    Row("unavailable_not_held", "（四）无法提供 1.本机关不掌握相关政府信息", _B, r"不掌握"),
    Row("unavailable_needs_creation", "2.没有现成信息需要另行制作", _B, r"没有现成|另行制作"),
    Row("unavailable_unclear", "3.补正后申请内容仍不明确", _B, r"补正后申请|仍不明确"),
    Row("rejected_petition", "（五）不予处理 1.信访举报投诉类申请", _B, r"信访举报"),
    Row("rejected_duplicate", "2.重复申请", _B, r"重复申请"),
    Row("rejected_publication", "3.要求提供公开出版物", _B, r"公开出版物|要求提供公开"),
    Row("rejected_excessive", "4.无正当理由大量反复申请", _B, r"大量反复|无正当理由大量"),
    Row("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", _B, r"要求行政机关|确认或重新|重新出具"),
    Row("other", "（六）其他处理", ("2019",), r"其他处理"),  # printed alone, or over its 2021 sub-rows
    Row(
        "other_no_correction",
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ("2021",),
        r"申请人无正当|逾期不补|无正当理由逾期",
    ),
    Row(
        "other_no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ("2021",),
        r"收费通知|缴纳费用|逾期未按",
    ),
    Row("other_other", "3.其他", ("2021",), r"^(?:\(六\)其他处理)?(?:\(?3\)?[.、]?)其他$"),
    Row("total_processed", "（七）总计", _B, r"^\(七\)总计$|^七[、.]总计$"),
    Row("carried_forward", "四、结转下年度继续办理", _B, r"结转下年度"),
)
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
REVIEW_COLUMNS = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
REVIEW_ROWS = (
    Row("admin_review", "行政复议", _B, r"^行政复议$"),
    Row("litigation_direct", "行政诉讼 / 未经复议直接起诉", _B, r"未经复议直接起诉"),
    Row("litigation_after_review", "行政诉讼 / 复议后起诉", _B, r"^复议后起诉$"),
)

# Header cells only the review table prints.
REVIEW_HEADER = r"结果维持|结果纠正|其他结果|尚未审结|未经复议直接起诉|^复议后起诉$|^行政复议$"

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
ACTIVE_ROWS = {
    "2021": (
        Row("rules", "第二十条第（一）项 规章", ("2021",), r"^(?:第二十条第\(一\)项)?规章$", _DOCS21),
        Row("normative_documents", "行政规范性文件", ("2021",), r"^(?:行政)?规范性文件$", _DOCS21),
        Row("licensing", "第二十条第（五）项 行政许可", ("2021",), r"^(?:第二十条第\(五\)项)?行政许可$", ("decisions",)),
        Row("penalty", "第二十条第（六）项 行政处罚", ("2021",), r"^(?:第二十条第\(六\)项)?行政处罚$", ("decisions",)),
        Row("coercion", "行政强制", ("2021",), r"^行政强制$", ("decisions",)),
        Row("fees", "第二十条第（八）项 行政事业性收费", ("2021",), r"行政事业性收费$", ("amount_10k_yuan",)),
    ),
    "2019": (
        Row("rules", "第二十条第（一）项 规章", ("2019",), r"^(?:第二十条第\(一\)项)?规章$", _DOCS19),
        Row("normative_documents", "规范性文件", ("2019",), r"^(?:行政)?规范性文件$", _DOCS19),
        Row("licensing", "第二十条第（五）项 行政许可", ("2019",), r"^(?:第二十条第\(五\)项)?行政许可$", _ITEMS19),
        Row("other_services", "其他对外管理服务事项", ("2019",), r"其他对外管理服务事项$", _ITEMS19),
        Row("penalty", "第二十条第（六）项 行政处罚", ("2019",), r"^(?:第二十条第\(六\)项)?行政处罚$", _ITEMS19),
        Row("coercion", "行政强制", ("2019",), r"^行政强制$", _ITEMS19),
        Row("fees", "第二十条第（八）项 行政事业性收费", ("2019",), r"行政事业性收费$", ("prior_items", "change")),
        Row(
            "procurement",
            "第二十条第（九）项 政府集中采购",
            ("2019",),
            r"政府集中采购$",
            ("projects", "amount_yuan"),
        ),
    ),
}
# A procurement amount printed in 万元 is converted to yuan (SCHEMA.md).
PROCUREMENT_10K_HEADER = r"采购总金额.*万元"

# Header cells the official templates print (renderers lay them out; the parser skips them).
CONTENT_HEADER = "信息内容"
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_HEADER = "申请人情况"
# The other numbered sections and the title of a report, for generated reports.
OTHER_SECTIONS = ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
REPORT_TITLE = "{agency}{year}年政府信息公开工作年度报告"
GENERATED_SHEET = "年度报告"  # the worksheet generated spreadsheet reports are written to

# ---------------------------------------------------------------- structure
# Headings that open each table (normalised text, searched in short cells).
TABLE_HEADINGS = {
    "active": r"主动公开政府信息(?:的)?情况$",
    "requests": r"收到和处理政府信息公开申请(?:的)?情况$",
    "review": r"行政复议.{0,4}(?:提起)?行政诉讼(?:的)?情况$",
}
# Any later numbered section heading ends the statistical tables.
SECTION_END = r"^[五六七八]、"

# Header cells printed inside the tables: never row labels, never values.
HEADER_CELLS = (
    r"^信息内容$",
    r"^第二十条",
    r"本列数据的勾稽关系",
    r"^申请人情况$",
    r"^自然人$",
    r"^法人或其他组织$",
    r"^商业企业$",
    r"^科研机构$",
    r"^社会公益组织$",
    r"^法律服务机构$",
    r"^其他$",
    r"^总计$",
    r"^行政诉讼$",
    r"^结果维持$",
    r"^结果纠正$",
    r"^其他结果$",
    r"^尚未审结$",
    r"^本年(?:度)?办理结果$",
    r"^\(三\)不予公开$",
    r"^\(四\)无法提供$",
    r"^\(五\)不予处理$",
    r"本年制发件数|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额",
    r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增/减|^处理决定数量$",
    r"采购项目数量|采购总金额|^本年新$|^制作数量$|^公开数量$",
)

# Structure markers that tell the table layout apart (the template is read from the
# structure, not from the year: 2021-2023 reports still print the 2019 layout).
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

# ---------------------------------------------------------------- metadata
TITLE_WORDS = r"政府信息公开(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)"
PRONOUNS = r"^(?:我|本|该)(?:局|办|委|厅|署|会|院|镇|乡|街道|区|县|市|单位|机关|部门|中心|公司|所|站|处|科)$"
SUB_OFFICE_SUFFIX = r"(?<=人民政府)(?:党政(?:综合)?办公室|办公室|信息公开办(?:公室)?|政务公开办(?:公室)?)$"
CONTACT_OFFICE_SUFFIX = r"(?:党政(?:综合)?办公室|办公室)$"
AGENCY_NOISE_PREFIX = r"^(?:现(?:将|公布|发布|予以公布)|根据.*?(?:要求|规定)[,，]?|特?此|下面是|以下是|关于)+"


# Patterns that find the agency name in prose, most trusted first; the contact sentence
# names an office, whose suffix is cut (CONTACT_OFFICE_SUFFIX).
AGENCY_CONTACT_PATTERN = r"请(?:与)?(?P<name>[^,，。(（\d]{2,40}?)联系"
AGENCY_PROSE_PATTERNS = (
    r"由(?P<name>[^,，。;；由]{2,40}?)(?:负责)?编制",
    r"综合\d{4}年度?(?P<name>[^,，。\d]{2,20}?)各(?:县|区|市|乡|镇|部门)",
    r"\d{4}\s*年[,，]\s*(?P<name>[^,，。\d]{2,40}?)政府信息公开工作(?:在|坚持|以|认真|按照)",
    AGENCY_CONTACT_PATTERN,
)
NOT_AN_AGENCY = r"[。，,;；《》“”]|关于|根据|按照"

# The covered year: in the title, in the statistical period, or the most cited year.
YEAR = r"((?:19|20)\d{2})"
TITLE_YEAR = YEAR + r"\s*年(?!\s*\d{1,2}\s*月)度?[^。\n]{0,40}?" + TITLE_WORDS  # not a date's year
YEAR_BOOK = YEAR + r"\s*年报"
YEAR_BOOK_NAME = YEAR + r"\s*年报[\s_\-—]+(?P<name>[^\s_]{2,30})\s*$"  # 'Page 9 - 2020年报_审计局'
STATISTICAL_PERIOD = r"统计(?:期限|时限|区间|周期)?(?:为|是|自|从|:|：)?\s*" + YEAR + r"\s*年\s*0?1\s*月\s*0?1\s*日"
YEAR_MENTION = YEAR + r"\s*年(?!\s*\d{1,2}\s*月)"  # '2020年', not a date '2021年1月20日'
TRAILING_YEAR = r"\s*" + YEAR + r"\s*年度?\s*$"
DATE_LINE = r"^\s*" + YEAR + r"\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$"

# Prose, not a label: counts with a unit ('收到3件'); enumerators that open a new label.
PROSE_COUNT = r"\d+(?:" + UNITS + ")"
ENUMERATOR = r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+\s*[.、．])"


def rows_for(table: str, template: str) -> tuple[Row, ...]:
    """Rows of a table as the template prints them (all variants for `requests`)."""
    if table == "active":
        return ACTIVE_ROWS.get(template, ())
    return REQUEST_ROWS if table == "requests" else REVIEW_ROWS


def columns_for(table: str, template: str) -> tuple[Column, ...]:
    if table == "active":
        return ACTIVE_COLUMNS.get(template, ())
    return REQUEST_COLUMNS if table == "requests" else REVIEW_COLUMNS


def row_label(table: str, template: str, key: str) -> str:
    return next((r.label for r in rows_for(table, template) if r.key == key), key)


def column_label(table: str, template: str, key: str) -> str:
    return next((c.label for c in columns_for(table, template) if c.key == key), key)


def other_rows(printed: set[str], template: str) -> tuple[str, ...]:
    """How a report prints （六）其他处理: the one row `other` or the three 2021 sub-rows.

    What the report printed decides (real 2023 reports still print one row); a report that
    printed neither is expected in its template's form.
    """
    if printed & set(OTHER_SUBROWS):
        return OTHER_SUBROWS
    return ("other",) if "other" in printed or template == "2019" else OTHER_SUBROWS


def expected_rows(table: str, template: str, printed: set[str] = frozenset()) -> tuple[str, ...]:
    """Rows whose absence is a completeness failure, （六） in the form the report printed it."""
    keys = [r.key for r in rows_for(table, template) if template in r.templates]
    if table == "requests":
        keys = [k for k in keys if k != "other" and k not in OTHER_SUBROWS]
        at = keys.index("total_processed")
        keys[at:at] = other_rows(printed, template)
    return tuple(keys)

# An agency name ends like one: 人民政府, 局, 办公室, 街道办事处, 镇, 区 …
AGENCY_SUFFIX = (
    r"(?:政府|局|办公室|办|委员会|委|厅|院|署|会|中心|街道|办事处|镇|乡|区|县|市|州|盟|旗|省|所|站|队|处|部|室|馆|社|公司|集团)"
    r"(?:\([^)]{1,12}\))?$"
)

# Output order of rows and columns (every template's keys; SCHEMA.md order).
ROW_ORDER = {
    "active": tuple(dict.fromkeys(r.key for t in ("2019", "2021") for r in ACTIVE_ROWS[t])),
    "requests": tuple(r.key for r in REQUEST_ROWS),
    "review": tuple(r.key for r in REVIEW_ROWS),
}
COLUMN_ORDER = {
    "active": tuple(dict.fromkeys(c.key for t in ("2021", "2019") for c in ACTIVE_COLUMNS[t])),
    "requests": tuple(c.key for c in REQUEST_COLUMNS),
    "review": tuple(c.key for c in REVIEW_COLUMNS),
}

"""Patterns that find a report's metadata in its text: title, covered year, agency, dates.

All apply to the document's text (not to normalised labels), in `govstats.parse.metadata`.
"""

from __future__ import annotations

from ..normalize import UNITS

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
# An agency name ends like one: 人民政府, 局, 办公室, 街道办事处, 镇, 区 …
AGENCY_SUFFIX = (
    r"(?:政府|局|办公室|办|委员会|委|厅|院|署|会|中心|街道|办事处|镇|乡|区|县|市|州|盟|旗|省|所|站|队|处|部|室|馆|社|公司|集团)"
    r"(?:\([^)]{1,12}\))?$"
)

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

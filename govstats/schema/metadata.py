"""Patterns that find a report's metadata in its text: title, covered year, agency, dates.

All apply to the document's text (not to normalised labels), in `govstats.parse.metadata`.
"""

from __future__ import annotations

from ..normalize import UNITS

TITLE_WORDS = r"政府信息公开(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)"
PRONOUNS = r"^(?:我|本|该|全)(?:局|办|委|厅|署|会|院|镇|乡|街道|区|县|市|单位|机关|部门|中心|公司|所|站|处|科)$"
SUB_OFFICE_SUFFIX = r"(?<=人民政府)(?:党政(?:综合)?办公室|办公室|信息公开办(?:公室)?|政务公开办(?:公室)?)$"
# The office named in a contact sentence, cut to leave its body: '平潭综合实验区政府信息公开工作领导小组办公室'
# → 平潭综合实验区, '平潭综合实验区管委会信息公开工作办公室' → 平潭综合实验区管委会 (a 人民政府 keeps its 政府).
CONTACT_OFFICE_SUFFIX = (
    r"(?:(?<!人民)政府)?(?:信息公开|政务公开)(?:工作)?(?:领导小组)?(?:办公室|办)$|(?:党政(?:综合)?办公室|办公室)$"
)

# Words of the sentence before a name, cut from its start, each with (printed, left) examples: title
# words in prose ('特编制…政府信息公开工作年度报告', '依法按时完成…') leave the verb before the name.
_PROSE_VERB = r"(?:依法|按时|及时|认真|已|并|特|现)*(?:编制|编写|撰写|公布|发布|形成|完成)(?:完成|了|出)?(?:本|该)?"
AGENCY_LEADS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (r"现(?:将|公布|发布|予以公布)", (("现将上海市民政局", "上海市民政局"),)),
    (r"根据.*?(?:要求|规定)[,，]?", (("根据条例要求上海市民政局", "上海市民政局"),)),
    (r"特?此", (("特此上海市民政局", "上海市民政局"),)),
    (r"下面是|以下是|关于", (("关于上海市民政局", "上海市民政局"),)),
    (_PROSE_VERB, (("特编制上海市民政局", "上海市民政局"), ("特公布桂林市人民政府", "桂林市人民政府"),
                   ("依法按时完成桂林市人民政府", "桂林市人民政府"))),
)
AGENCY_NOISE_PREFIX = "^(?:" + "|".join(p for p, _ in AGENCY_LEADS) + ")+"
# The zone's own body in its short form names the zone, as its site names the publisher:
# '平潭综合实验区管委会' (管理委员会) → 平潭综合实验区, '某某开发区党工委管委会' → 某某开发区.
ZONE_BODY_SUFFIX = r"(?<=区)(?:党工委)?管委会$"
ZONE_BODY_EXAMPLES = (("平潭综合实验区管委会", "平潭综合实验区"), ("苏州工业园区党工委管委会", "苏州工业园区"))


# Patterns that find the agency name in prose, most trusted first; the contact sentence
# names an office, whose suffix is cut (CONTACT_OFFICE_SUFFIX).
AGENCY_CONTACT_PATTERN = r"请(?:与)?(?P<name>[^,，。(（\d]{2,40}?)联系"
AGENCY_PROSE_PATTERNS = (
    r"由(?P<name>[^,，。;；由]{2,40}?)(?:负责)?编制",
    r"综合\d{4}年度?(?P<name>[^,，。\d]{2,20}?)各(?:县|区|市|乡|镇|部门)",
    r"汇总(?P<name>[^,，。\d、]{2,20}?)各(?:有关|相关)?(?:单位|部门)",  # '汇总平潭综合实验区各有关单位…编制而成'
    r"\d{4}\s*年[,，]\s*(?P<name>[^,，。\d]{2,40}?)政府信息公开工作(?:在|坚持|以|认真|按照)",
    # '2024年，平潭综合实验区坚持以…'; not a name without its place ('2022年,区政府办公室认真…')
    r"(?:^|\n)\s*\d{4}\s*年度?[,，]\s*(?P<name>(?![区市县镇乡])[^,，。\d、“”]{2,20}?)(?:坚持|认真|深入|全面)",
    AGENCY_CONTACT_PATTERN,
)
NOT_AN_AGENCY = r"[。，,;；《》“”]|关于|根据|按照|网站|门户|网$"  # a site ('…门户网站') is not its owner
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
LEADING_YEAR = r"^\s*" + YEAR + r"\s*年度?\s*"  # '2019年度桂林市人民政府' → 桂林市人民政府
DATE_LINE = r"^\s*" + YEAR + r"\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$"

# Prose, not a label: counts with a unit ('收到3件'); enumerators that open a new label.
PROSE_COUNT = r"\d+(?:" + UNITS + ")"
ENUMERATOR = r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+\s*[.、．])"

# Agency level from its (normalised) name: first matching pattern wins, else `department`.
# A trailing parenthesis is ignored: 贵阳市人民政府(市人民政府办公厅) is the city.
_END = r"(?:\([^)]*\))?$"
AGENCY_LEVEL_RULES = (
    ("township", r"(?:街道|镇|乡)(?:办事处|人民政府)?(?:党政(?:综合)?办公室|办公室)?" + _END),
    ("province", r"(?:^(?:北京|天津|上海|重庆)市|省|自治区)(?:人民政府)?(?:办公厅)?" + _END),
    ("county", r"(?:区|县|旗)(?:人民政府)?(?:办公室)?" + _END),
    ("city", r"(?:市|州|盟)(?:人民政府)?(?:办公室|办公厅)?" + _END),
)
# Region = the provincial-level division, inferred only where the name starts with one.
REGION_PATTERN = r"^(?:(?:北京|天津|上海|重庆)市|[^市县区镇乡]{2,6}?(?:省|自治区|特别行政区))"

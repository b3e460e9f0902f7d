"""Title forms real reports print, for generated reports whose agency only the title names.

Each form is the title as printed over one or more lines ({agency}, {year} filled in) and the
agency the parser must find in it: the body's name, simplified, with nothing of the sentence,
year or site around it (None where the lines name no publisher).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import schema
from .synthetic import SyntheticReport


@dataclass(frozen=True)
class TitleForm:
    lines: tuple[str, ...]
    names_agency: bool = True  # False: the lines name a site, not its owner

    def render(self, agency: str, year: int) -> tuple[str, ...]:
        spaced = " ".join(schema.REPORT_TITLE.format(agency=agency, year=year))
        return tuple(line.format(agency=agency, year=year, spaced=spaced) for line in self.lines)


TITLE_FORMS = {
    "plain": TitleForm(("{agency}{year}年政府信息公开工作年度报告",)),
    "year_first": TitleForm(("{year}年{agency}政府信息公开工作年度报告",)),  # 2022年上海市…
    "year_du_first": TitleForm(("{year}年度{agency}政府信息公开工作年度报告",)),  # 2019年度桂林市人民政府…
    "two_lines": TitleForm(("{agency}", "{year}年政府信息公开工作年度报告")),
    "two_lines_year_first": TitleForm(("{agency}{year}年", "政府信息公开工作年度报告")),
    "words_split": TitleForm(("{agency}{year}年政府信息公开", "工作年度报告")),
    "three_lines": TitleForm(("{agency}", "{year}年度", "政府信息公开工作年度报告")),
    "pdf_spaced": TitleForm(("{spaced}",)),  # '某 某 县 交 通 运 输 局 2 0 2 2 年 …' (PDF text layers)
    "layout_centered": TitleForm(("                {agency}", "          {year}年政府信息公开工作年度报告")),
    "prose_special": TitleForm(("根据《条例》要求，特编制{agency}{year}年政府信息公开工作年度报告。",)),
    "prose_publish": TitleForm(("特公布{agency}{year}年度政府信息公开工作年度报告如下：",)),
    "prose_on_time": TitleForm(("依法按时完成{agency}{year}年度政府信息公开工作年度报告的编制和发布。",)),
    "site_name": TitleForm(("{agency}门户网站", "{year}年政府信息公开工作年度报告"), names_agency=False),
}


def with_title(rep: SyntheticReport, form: str) -> SyntheticReport:
    """The report printed under one title form, its prose naming itself only as 我局."""
    return replace(rep, heading=TITLE_FORMS[form].render(rep.agency, rep.year), prose_name="我局")

"""PDFs as LibreOffice prints them: table 三 broken across pages with its header repeated,
page-number footers between the pieces, and narrow columns that print the merged row
header 三、本年度办理结果 and the table-四 headers one character per line."""

from __future__ import annotations

import os
import shutil

import docx
import pytest
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from helpers import values_of

import govstats
from govstats.testing import office as render_office
from govstats.testing import synthetic

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"), reason="LibreOffice (soffice) is not installed"
)


def _page_number_footer(document: docx.Document) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.add_run("- ")
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        run = paragraph.add_run()
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.text = text
        run._r.append(element)
    paragraph.add_run(" -")


def _narrow(table, columns: list[int], width: Cm) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:
        for k in columns:
            if k < len(row.cells):
                row.cells[k].width = width


def _repeat_header(table, rows: int) -> None:
    for row in table.rows[:rows]:
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(flag)


@needs_soffice
@pytest.mark.parametrize("template", ["2021", "2019"])
def test_table_broken_across_pages_with_repeated_header_and_vertical_labels(tmp_path, template):
    rep = synthetic.make_report(21, "某某市自然资源和规划局", 2023 if template == "2021" else 2020, template)
    path = render_office.render_docx(rep, tmp_path / "long.docx")
    document = docx.Document(path)
    requests_heading = next(p for p in document.paragraphs if p.text.startswith("三、收到和处理"))
    for k in range(26):  # push table 三 down so that it breaks over a page
        requests_heading.insert_paragraph_before(f"（{k + 1}）依申请公开工作持续规范，答复文书统一格式，办理质量稳步提升。")
    active, requests, review = document.tables
    _repeat_header(requests, 3)
    _narrow(requests, [0, 1], Cm(0.9))
    _narrow(review, list(range(15)), Cm(0.75))
    _page_number_footer(document)
    document.save(path)
    pdf = render_office.convert_with_soffice(path, "pdf", tmp_path / "pdf")

    report = govstats.read_report(pdf)
    assert (report.agency, report.year, report.template) == (rep.agency, rep.year, rep.template)
    assert values_of(report) == rep.values
    assert report.ok
    pages = report.cells[report.cells["table"] == "requests"]["source"].str.extract(r" p(\d+) ")[0]
    assert pages.nunique() >= 2, "table 三 should run over several pages"
    assert not (report.cells["row"] == "unmapped").any()

"""Word and Excel reports read to the HTML standard.

One generated report is rendered as HTML, DOCX, XLSX, XLS, DOC and PDF (LibreOffice, from
the DOCX); every rendering must give the values put in and the very same tidy cells. The
official blank 2021 template, filled in, proves the merged-cell expansion on the real
layout.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
import xlwt
from docx.oxml.ns import qn
from docx.table import _Cell
from helpers import CONVERTED, RENDERED_FORMATS, ROOT, needs_soffice, render, values_of

import govstats
from govstats.documents import load_document
from govstats.documents.model import Cell
from govstats.documents.readers import office as convert
from govstats.errors import ConversionError, CorruptFileError
from govstats.testing import office as render_office
from govstats.testing import synthetic

TEMPLATE_2021 = ROOT / "tests" / "fixtures" / "data" / "official-template-2021-blank.docx"
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def tidy(report) -> list[tuple]:
    return list(report.cells[["table", "row", "column", "value", "flag"]].itertuples(index=False, name=None))


def assert_values(rep: synthetic.SyntheticReport, report) -> None:
    got = values_of(report)
    wrong = {k: (v, got.get(k)) for k, v in rep.values.items() if got.get(k) != v}
    assert not wrong, wrong
    assert set(got) == set(rep.values)


@pytest.mark.parametrize("fmt", [pytest.param(f, marks=[pytest.mark.slow, needs_soffice]) if f in CONVERTED else f
                                 for f in RENDERED_FORMATS if f != "html"])
def test_every_format_reads_the_same_report(write, tmp_path, synthetic_report, fmt):
    rep = synthetic_report
    html = govstats.read_report(write("report.html", synthetic.render_html(rep)))
    report = govstats.read_report(render(rep, fmt, tmp_path))
    assert report.format == fmt
    assert_values(rep, report)
    assert tidy(report) == tidy(html)
    assert (report.agency, report.year, report.template) == (rep.agency, rep.year, rep.template)
    assert report.ok


def test_official_2021_template_filled_in_reads_back_exactly(tmp_path):
    rep = synthetic.make_report(7, "某某市生态环境局", 2022, "2021")
    document = docx.Document(str(TEMPLATE_2021))
    next(p for p in document.paragraphs if p.text.endswith("格式模板")).text = rep.title
    next(p for p in document.paragraphs if p.text == "（文字描述）").text = synthetic.intro(rep)[1]
    for table, (_, layout) in zip(document.tables, synthetic.layouts(rep)):
        keys = [k for row in layout for k in row.keys]
        # the template's value cells: its empty cells that do not continue a vertical merge
        empty = [tc for tc in table._tbl.iter(qn("w:tc")) if not "".join(tc.itertext()).strip() and tc.vMerge != "continue"]
        assert len(empty) == len(keys)
        for tc, key in zip(empty, keys):
            _Cell(tc, table).text = synthetic._fmt(rep, key)
    path = tmp_path / "filled.docx"
    document.save(str(path))

    report = govstats.read_report(path)
    assert_values(rep, report)
    assert (report.agency, report.year, report.template, report.ok) == (rep.agency, rep.year, "2021", True)
    # table 三's corner note spans 3 rows × 3 columns (gridSpan 3 + vMerge restart/continue twice)
    corner = [c for c in load_document(path).cells if c.table == 1 and c.row < 3 and c.col < 3]
    assert [(c.row, c.col) for c in corner] == [(0, 0)] and corner[0].text.startswith("（本列数据的勾稽关系")


def test_macro_enabled_word_file_reads_like_docx(tmp_path, synthetic_report):
    plain = render_office.render_docx(synthetic_report, tmp_path / "r.docx")
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(tmp_path / "r.docm", "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main",
                                    b"application/vnd.ms-word.document.macroEnabled.main")
            zout.writestr(info, data)
    assert values_of(govstats.read_report(tmp_path / "r.docm")) == synthetic_report.values


def test_docx_grid_span_and_vertical_merge(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    for r, c, text in [(0, 0, "A"), (0, 1, "B"), (0, 3, "C"), (1, 1, "D"), (1, 2, "E"), (2, 0, "G"), (2, 1, "H")]:
        table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(1, 0))  # vMerge restart/continue
    table.cell(0, 1).merge(table.cell(0, 2))  # gridSpan 2
    table.cell(1, 2).merge(table.cell(2, 3))  # both: a 2 × 2 block
    path = tmp_path / "merged.docx"
    document.save(str(path))
    doc = load_document(path)
    assert [(c.text, c.row, c.col) for c in doc.cells] == [
        ("A", 0, 0), ("B", 0, 1), ("C", 0, 3), ("D", 1, 1), ("E", 1, 2), ("G", 2, 0), ("H", 2, 1)
    ]
    assert doc.text.splitlines() == ["A B C", "D E", "G H"]  # rows as printed: copies are not repeated


def test_docx_nested_table_and_line_breaks(tmp_path):
    document = docx.Document()
    document.add_paragraph("说明  12")
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "外层"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "商业"
    inner.cell(0, 0).add_paragraph("企业")
    inner.cell(0, 1).paragraphs[0].add_run("科研").add_break()
    inner.cell(0, 1).paragraphs[0].add_run("机构")
    path = tmp_path / "nested.docx"
    document.save(str(path))
    assert load_document(path).cells == [
        Cell("说明"), Cell("12"), Cell("外层"), Cell("商业\n企业", table=0, row=0, col=0),
        Cell("科研\n机构", table=0, row=0, col=1),
    ]


def test_spreadsheet_numbers_as_printed(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["收费金额", 3119.0, 96171.6, 0, "12"])
    book.save(tmp_path / "n.xlsx")
    old = xlwt.Workbook()
    sheet = old.add_sheet("s")
    for c, v in enumerate(["收费金额", 3119.0, 96171.6, 0, "12"]):
        sheet.write(0, c, v)
    old.save(str(tmp_path / "n.xls"))
    for name in ("n.xlsx", "n.xls"):
        assert [c.text for c in load_document(tmp_path / name).cells] == ["收费金额", "3119", "96171.6", "0", "12"]


def test_sheet_rows_end_at_their_last_printed_cell(tmp_path, synthetic_report):
    """A heading row's blank tail and blank spacer rows are not empty value cells."""
    rep = synthetic_report
    book = openpyxl.Workbook()
    ws = book.active
    heading, layout = synthetic.layouts(rep)[2]
    ws.cell(1, 1, rep.title)
    ws.cell(3, 1, heading)  # rows 2, 4 and 5 stay blank; the table is 15 columns wide
    cells, _ = render_office.place(rep, layout)
    for p in cells:
        ws.cell(6 + p.row, 1 + p.col, rep.values[p.key] if p.key else p.text)
        if p.rowspan > 1 or p.colspan > 1:
            ws.merge_cells(start_row=6 + p.row, start_column=1 + p.col,
                           end_row=5 + p.row + p.rowspan, end_column=p.col + p.colspan)
    book.save(tmp_path / "review.xlsx")
    report = govstats.read_report(tmp_path / "review.xlsx")
    review = {k: v for k, v in values_of(report).items() if k[0] == "review"}
    assert review == {k: v for k, v in rep.values.items() if k[0] == "review"}


@pytest.mark.parametrize("name, data", [
    ("bad.xls", OLE_HEADER + b"\x00" * 600 + "Workbook".encode("utf-16-le") + b"\x00" * 600),
    ("bad.xlsx", None),
])
def test_damaged_workbooks_are_corrupt_files(tmp_path, name, data):
    if data is None:  # a valid zip whose workbook part is not XML
        with zipfile.ZipFile(tmp_path / name, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("xl/workbook.xml", "not xml")
    else:
        (tmp_path / name).write_bytes(data)
    with pytest.raises(CorruptFileError, match=name):
        load_document(tmp_path / name)


def fake_doc(tmp_path: Path) -> Path:
    path = tmp_path / "旧格式 报告.doc"
    path.write_bytes(OLE_HEADER + b"\x00" * 500 + "WordDocument".encode("utf-16-le") + b"\x00" * 500)
    return path


def test_doc_without_libreoffice_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ConversionError, match=r"旧格式 报告\.doc.*libreoffice-writer-nogui"):
        load_document(fake_doc(tmp_path))


def test_conversion_timeout_kills_soffice_and_names_the_file(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    marker = tmp_path / "still-running"
    script = bin_dir / "soffice"
    script.write_text(f"#!/bin/sh\n(sleep 1; touch '{marker}') &\nsleep 30\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(convert, "LIMITS", dataclasses.replace(convert.LIMITS, conversion_timeout=0.5))
    with pytest.raises(ConversionError, match=r"旧格式 报告\.doc.*within 0\.5 s"):
        load_document(fake_doc(tmp_path))
    time.sleep(1.5)
    assert not marker.exists(), "the whole process group must be killed"


@pytest.mark.slow
@needs_soffice
def test_unconvertible_doc_names_the_file(tmp_path):
    with pytest.raises(ConversionError, match=r"旧格式 报告\.doc: LibreOffice could not convert"):
        load_document(fake_doc(tmp_path))


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "xls", pytest.param("pdf", marks=[pytest.mark.slow, needs_soffice])])
def test_empty_cells_read_as_flagged_zeros_in_every_format(write, tmp_path, fmt):
    rep = synthetic.make_report(15, "某某县审计局", 2022, "2021")
    rep.blanks = {k for k, v in rep.values.items() if v == 0 and k[2] != "total"}  # printed empty
    assert len(rep.blanks) > 50
    html = govstats.read_report(write("report.html", synthetic.render_html(rep)))
    report = govstats.read_report(render(rep, fmt, tmp_path))
    assert tidy(report) == tidy(html)
    flagged = report.cells[report.cells["flag"] == "blank"]
    assert set(zip(flagged["table"], flagged["row"], flagged["column"])) == rep.blanks

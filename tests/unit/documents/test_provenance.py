"""Where every value stands in its file (cells' provenance columns), and `Report.show`'s pictures of it."""

from __future__ import annotations

import io

import openpyxl
import pdfplumber
import pytest
from helpers import CONVERTED, CORPUS, RENDERED_FORMATS, needs_soffice, render
from PIL import Image

import govstats
from govstats.documents import pictures
from govstats.testing import synthetic

HUAIAN = CORPUS / "huaian-shizhengfu-2024.pdf"


@pytest.fixture(scope="module")
def huaian():
    return govstats.read_report(HUAIAN)


def _one(report, table, row, column):
    c = report.cells
    return c[(c["table"] == table) & (c["row"] == row) & (c["column"] == column)].iloc[0]


def test_the_box_of_a_pdf_value_holds_its_printed_characters(huaian):
    cell = _one(huaian, "requests", "new_received", "total")  # 本年新收 · 总计
    assert (cell["file"], cell["page"], cell["source_table"], cell["source_row"], cell["source_col"]) == (
        "huaian-shizhengfu-2024.pdf", 4, 5, 4, 10)
    box = (cell["box_x0"], cell["box_top"], cell["box_x1"], cell["box_bottom"])
    with pdfplumber.open(HUAIAN) as pdf:
        assert "3119" in pdf.pages[cell["page"] - 1].crop(box).extract_text()


def test_every_value_read_from_a_pdf_has_a_box_that_holds_its_text(huaian):
    read = huaian.cells[huaian.cells["flag"] != "missing"]
    assert len(read) > 150 and read["box_x0"].notna().all() and read["page"].notna().all()
    with pdfplumber.open(HUAIAN) as pdf:
        for r in read.head(40).itertuples():
            text = pdf.pages[r.page - 1].crop((r.box_x0, r.box_top, r.box_x1, r.box_bottom)).extract_text()
            assert r.printed.split()[0] in text.replace("\n", ""), (r.row, r.column, r.printed, text)


def test_a_spreadsheet_value_carries_its_cell_address(tmp_path):
    rep = synthetic.make_report(3, "某某县交通运输局", 2022)
    path = render(rep, "xlsx", tmp_path)
    report = govstats.read_report(path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = report.cells[report.cells["flag"] == ""]
    assert rows["address"].notna().all()
    for r in rows.head(30).itertuples():
        name, ref = r.address.split("!")
        assert name == sheet.title and str(sheet[ref].value).removesuffix(".0") == r.printed
    assert rows["box_x0"].isna().all() and rows["page"].isna().all()


def _red(image: Image.Image) -> int:
    """Pixels of the outline colour: where the picture marks a cell."""
    return sum(1 for p in image.get_flattened_data() if p == pictures.OUTLINE)


@pytest.mark.parametrize("fmt", [pytest.param(f, marks=[pytest.mark.slow, needs_soffice]) if f in CONVERTED else f
                                 for f in RENDERED_FORMATS])
def test_show_pictures_a_value_in_every_format(tmp_path, fmt):
    rep = synthetic.make_report(7, "某某县交通运输局", 2022)
    report = govstats.read_report(render(rep, fmt, tmp_path))
    one = report.show("requests", "new_received", "total")
    assert isinstance(one, Image.Image) and one.width > 100 and one.height > 50
    assert Image.open(io.BytesIO(one._repr_png_())).size == one.size  # what Jupyter displays
    marked = _red(one)
    assert marked > 20  # one cell outlined
    column = report.show("requests", column="total")
    assert _red(column) > 5 * marked  # every value of the column outlined
    other = report.show("review", "admin_review", "total")
    assert other.tobytes() != one.tobytes()


def test_show_outlines_the_cell_on_the_rendered_pdf_page(huaian):
    image = huaian.show("requests", "new_received", "total")
    red = [(x, y) for y in range(image.height) for x in range(image.width) if image.getpixel((x, y)) == pictures.OUTLINE]
    x0, y0 = min(x for x, _ in red), min(y for _, y in red)
    x1, y1 = max(x for x, _ in red), max(y for _, y in red)
    cell = _one(huaian, "requests", "new_received", "total")
    width, height = cell["box_x1"] - cell["box_x0"], cell["box_bottom"] - cell["box_top"]
    assert abs((x1 - x0) - width * pictures.SCALE) < 6 and abs((y1 - y0) - height * pictures.SCALE) < 6
    assert huaian.show("requests").height > 2 * image.height // 3  # the table runs over two pages: both shown


def test_show_a_failed_check(write):
    rep = synthetic.make_report(7, "某某县交通运输局", 2022)
    html = synthetic.render_html(rep).replace(f">{int(rep.values[('requests', 'new_received', 'total')])}<", ">99999<")
    report = govstats.read_report(write("r.html", html))
    failed = report.checks[~report.checks["passed"] & (report.checks["rule"] == "requests.applicant_sum")]
    assert list(failed["row"]) == ["new_received"]
    image = report.show(check=failed.index[0])  # the identity's whole row: the six applicant columns and 总计
    assert _red(image) > 5 * _red(report.show("requests", "new_received", "total"))
    with pytest.raises(ValueError, match="needs a table"):
        report.show()
    with pytest.raises(KeyError, match="no value at"):
        report.show("requests", "no_such_row")


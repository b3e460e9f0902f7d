"""PDF: the real Huai'an report, and PDFs that must fail with a clear error."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from helpers import CORPUS
from pypdf import PdfReader, PdfWriter

import govstats
from govstats.errors import CorruptFileError, EncryptedFileError, ScannedDocumentError

HUAIAN = CORPUS / "huaian-shizhengfu-2024.pdf"


def test_huaian_tables_span_pages_and_every_check_passes():
    report = govstats.read_report(HUAIAN)
    assert (report.agency, report.year, report.template, report.pages) == ("淮安市人民政府", 2024, "2021", 6)
    assert report.ok and len(report.cells) == 200
    pages = report.cells.set_index(["table", "row"])["source"].str.extract(r" p(\d) ")[0]
    # table 三 starts on page 4 and ends on page 5; no header or page number became a row
    assert pages.loc[("requests", "new_received")].unique().tolist() == ["4"]
    assert pages.loc[("requests", "carried_forward")].unique().tolist() == ["5"]
    assert not (report.cells["row"] == "unmapped").any()


def test_tables_are_looked_for_only_on_pages_with_rulings(monkeypatch):
    from govstats.documents.readers import pdf as pdf_reader

    pages = []
    original = pdf_reader.TableFinder

    def counting(page, settings):
        pages.append(len(page.chars))
        return original(page, settings)

    monkeypatch.setattr(pdf_reader, "TableFinder", counting)
    report = govstats.read_report(HUAIAN)
    assert report.ok
    assert len(pages) == 4  # pages 1 (a framed paragraph), 3, 4 and 5; pages 2 and 6 are prose only


def test_scanned_pdf_says_it_is_a_scan(tmp_path):
    path = tmp_path / "scan.pdf"
    fig = plt.figure(figsize=(8.27, 11.69))
    fig.figimage(np.random.default_rng(0).random((400, 300)), 10, 10)
    fig.savefig(path, format="pdf")
    plt.close(fig)
    with pytest.raises(ScannedDocumentError, match="scan"):
        govstats.read_report(path)


def test_encrypted_pdf(tmp_path):
    writer = PdfWriter()
    for page in PdfReader(HUAIAN).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    buf = io.BytesIO()
    writer.write(buf)
    path = tmp_path / "locked.pdf"
    path.write_bytes(buf.getvalue())
    with pytest.raises(EncryptedFileError, match="locked.pdf: the PDF is encrypted"):
        govstats.read_report(path)


@pytest.mark.parametrize("fraction", [0.02, 0.5, 0.98])
def test_truncated_pdf(tmp_path, fraction):
    data = HUAIAN.read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(CorruptFileError, match="cut.pdf: .*truncated"):
        govstats.read_report(path)


def test_pdf_with_neither_text_nor_images_is_not_called_a_scan(tmp_path):
    path = tmp_path / "blank.pdf"
    fig = plt.figure(figsize=(8.27, 11.69))
    fig.savefig(path, format="pdf")
    plt.close(fig)
    with pytest.raises(CorruptFileError, match=r"blank.pdf: a PDF of 1 page\(s\) with neither text nor images"):
        govstats.read_report(path)

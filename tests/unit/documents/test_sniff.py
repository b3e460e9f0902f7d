"""Formats come from the content, never the extension; hostile and broken files fail clearly."""

from __future__ import annotations

import io
import zipfile

import pytest
from helpers import values_of

import govstats
from govstats.documents import load_document, sniff
from govstats.errors import ArchiveBombError, CorruptFileError, EncryptedFileError, NotAReportError
from govstats.testing import office as render_office
from govstats.testing import synthetic

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_html_saved_as_doc_reads_as_html(write, synthetic_report):
    report = govstats.read_report(write("报告.doc", synthetic.render_html(synthetic_report)))
    assert report.format == "html"
    assert values_of(report) == synthetic_report.values


@pytest.mark.parametrize("fmt, wrong_name", [("docx", "报告.doc"), ("xlsx", "报告.xls"), ("xls", "报告.xlsx")])
def test_office_file_with_the_wrong_extension(tmp_path, synthetic_report, fmt, wrong_name):
    render = getattr(render_office, f"render_{fmt}")
    path = render(synthetic_report, tmp_path / wrong_name)
    report = govstats.read_report(path)
    assert report.format == fmt
    assert values_of(report) == synthetic_report.values


def test_html_error_page_named_pdf_is_not_a_report(write):
    path = write("2022年报告.pdf", "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>"
                               "<p>您访问的页面不存在</p></body></html>")
    with pytest.raises(NotAReportError, match=r"2022年报告\.pdf"):
        govstats.read_report(path)


def zip_bytes(entries: dict[str, bytes | int]) -> bytes:
    """A zip of named entries; an int is that many zero bytes, written in chunks."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            if isinstance(content, bytes):
                zf.writestr(name, content)
                continue
            with zf.open(name, "w") as out:
                for _ in range(content >> 20):
                    out.write(bytes(1 << 20))
    return buf.getvalue()


@pytest.mark.parametrize("entries, reason", [
    ({"[Content_Types].xml": b"<Types/>", "word/document.xml": 300 << 20}, "expands .* times"),  # one 300 MB entry
    ({f"word/media/image{k}.bin": 1 << 20 for k in range(260)}, "expands to 272,629,760 bytes"),  # 260 × 1 MB: the total
    ({"word/document.xml": b"<w:document/>", "../../etc/passwd": b"x"}, "unsafe name"),
    ({"word/document.xml": b"<w:document/>", "/etc/passwd": b"x"}, "unsafe name"),
    ({f"word/{k}.xml": b"" for k in range(10_001)}, "10,001 zip entries"),
])
def test_hostile_zip_is_refused_without_expanding_it(tmp_path, monkeypatch, entries, reason):
    path = tmp_path / "bomb.docx"
    path.write_bytes(zip_bytes(entries))
    assert path.stat().st_size < 2 << 20

    def never(*args, **kwargs):
        raise AssertionError("an entry was expanded")
    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    with pytest.raises(ArchiveBombError, match=reason):
        load_document(path)


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_truncated_office_file_is_corrupt(tmp_path, synthetic_report, fmt):
    whole = getattr(render_office, f"render_{fmt}")(synthetic_report, tmp_path / f"whole.{fmt}").read_bytes()
    path = tmp_path / f"cut.{fmt}"
    path.write_bytes(whole[: len(whole) // 2])
    assert sniff(path.read_bytes()) == fmt
    with pytest.raises(CorruptFileError, match=rf"cut\.{fmt}: a damaged zip"):
        load_document(path)


def test_docx_with_broken_xml_is_corrupt(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(zip_bytes({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"}))
    with pytest.raises(CorruptFileError, match="broken.docx: a damaged Word file"):
        load_document(path)


def test_password_protected_office_file(tmp_path):
    # what Office writes for a protected .docx: an OLE file holding EncryptionInfo and EncryptedPackage
    path = tmp_path / "加密.docx"
    path.write_bytes(OLE_HEADER + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 50
                     + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1000)
    with pytest.raises(EncryptedFileError, match=r"加密\.docx: a password-protected"):
        load_document(path)

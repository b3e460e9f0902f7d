"""Pathological files, made on the fly (nothing large is committed).

Every run starts with these cases, in this order, before the random mutations:
empty and huge files, deep and wide HTML, PDFs with 500 pages or hostile objects,
zip bombs, path-traversal names and XML entity expansion in DOCX/XLSX, garbage behind
every magic number, and each format under a wrong extension.
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from collections.abc import Callable

from govstats.testing import synthetic

from .mutators import SUFFIXES, Fields
from .seeds import Seed, rezip

MB = 1 << 20
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lololololololololololol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (k, (b"&lol%s;" % (str(k - 1).encode() if k > 1 else b"")) * 10)
                     for k in range(1, 10))
          + b"]>")
QUADRATIC = b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "' + b"a" * 50_000 + b'">]>'
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _seed(seeds: list[Seed], fmt: str) -> Seed:
    return next(s for s in seeds if s.fmt == fmt and s.slots) if fmt in ("html", "docx", "xlsx") else \
        next(s for s in seeds if s.fmt == fmt)


def _html(seeds: list[Seed]) -> str:
    return _seed(seeds, "html").data.decode("utf-8")


def _with_body(seeds: list[Seed], before: str, after: str) -> bytes:
    """The generated report's HTML with markup put around its body."""
    page = _html(seeds)
    head, _, rest = page.partition("<body>")
    body, _, tail = rest.partition("</body>")
    return f"{head}<body>{before}{body}{after}</body>{tail}".encode()


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in entries:
            zf.writestr(name, body)
    return buf.getvalue()


def _big_member(seeds: list[Seed], fmt: str, member: str, size: int) -> bytes:
    """A DOCX/XLSX whose `member` inflates to `size` bytes, written without ever holding them."""
    base = _seed(seeds, fmt).data
    buf = io.BytesIO(base)
    with zipfile.ZipFile(buf, "a") as zf:
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as out:
            for _ in range(size // MB):
                out.write(bytes(MB))
    return buf.getvalue()


def _lying_sizes(seeds: list[Seed]) -> bytes:
    """document.xml padded to 64 MB of spaces, but its headers declare 4 KB (a bomb that lies)."""
    seed = _seed(seeds, "docx")
    body = seed.data
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        xml = zf.read("word/document.xml")
    data = bytearray(rezip(body, {"word/document.xml": xml + b" " * (64 * MB)}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("word/document.xml")
        size = info.file_size
    packed = size.to_bytes(4, "little")
    start = 0
    while (at := data.find(packed, start)) >= 0:  # both the local and the central header
        data[at: at + 4] = (4096).to_bytes(4, "little")
        start = at + 4
    return bytes(data)


def _overlapping(seeds: list[Seed]) -> bytes:
    """5,000 central-directory entries all pointing at one 1 MB-of-zeros local file."""
    one = _zip([("word/document.xml", bytes(MB))])
    with zipfile.ZipFile(io.BytesIO(one)) as zf:
        info = zf.infolist()[0]
    central = one[one.index(b"PK\x01\x02"): one.index(b"PK\x05\x06")]
    local = one[: one.index(b"PK\x01\x02")]
    n = 5000
    entries = central * n
    end = b"PK\x05\x06" + b"\x00" * 4 + n.to_bytes(2, "little") * 2 + len(entries).to_bytes(4, "little") \
        + len(local).to_bytes(4, "little") + b"\x00\x00"
    assert info.header_offset == 0
    return local + entries + end


def _entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def _with_xml(seeds: list[Seed], fmt: str, member: str, prolog: bytes, use: bytes) -> bytes:
    """A DOCX/XLSX whose `member` declares `prolog` (a DTD) and uses its entity `use` in text."""
    entries = _entries(_seed(seeds, fmt).data)
    xml = dict(entries).get(member, b"<sst/>")
    if xml.startswith(b"<?xml"):
        xml = xml[xml.index(b"?>") + 2:]
    end = max(xml.find(b"</w:t>"), xml.find(b"</t>"))
    xml = prolog + (xml[:end] + use + xml[end:] if end > 0 else xml)
    if member not in dict(entries):
        return _zip(entries + [(member, xml)])
    return _zip([(n, xml if n == member else b) for n, b in entries])


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (object 1 is the catalog), with a correct xref."""
    out = b"%PDF-1.4\n"
    offsets = []
    for k, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def _pdf_page(content: bytes, flate: bool = False) -> bytes:
    """One page with a Helvetica font and `content` as its (optionally deflated) content stream."""
    stream = b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(content), b" /Filter /FlateDecode" if flate else b"",
                                                            content)
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream,
    ])


def _pdf_bomb() -> bytes:
    """A content stream that inflates to 1 GB of spaces (deflated fast: 4.7 MB)."""
    z = zlib.compressobj(1)
    chunk = b" " * MB
    return _pdf_page(b"".join(z.compress(chunk) for _ in range(1024)) + z.flush(), flate=True)


def _many_pages(seeds: list[Seed], n: int) -> bytes:
    from pypdf import PdfReader, PdfWriter

    page = PdfReader(io.BytesIO(_seed(seeds, "pdf").data)).pages[0]
    writer = PdfWriter()
    for _ in range(n):
        writer.add_page(page)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _garbage(head: bytes, size: int = 64 * 1024) -> bytes:
    return head + random.Random(head).randbytes(size)


def _big_sheet(seeds: list[Seed], rows: int) -> bytes:
    """The generated XLSX with `rows` more rows of ten numbers below its report."""
    seed = _seed(seeds, "xlsx")
    member = "xl/worksheets/sheet1.xml"
    extra = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="n"><v>{r}</v></c>' for c in "ABCDEFGHIJ") + "</row>"
                    for r in range(100, 100 + rows))
    return seed.pack({member: seed.parts[member].replace("</sheetData>", extra + "</sheetData>")})


def _big_docx_table(seeds: list[Seed], rows: int) -> bytes:
    """The generated DOCX with a table of `rows` rows of five numbers after its report."""
    seed = _seed(seeds, "docx")
    member = "word/document.xml"
    table = "<w:tbl>" + "".join("<w:tr>" + f"<w:tc><w:p><w:r><w:t>{r}</w:t></w:r></w:p></w:tc>" * 5 + "</w:tr>"
                                for r in range(rows)) + "</w:tbl>"
    return seed.pack({member: seed.parts[member].replace("<w:sectPr", table + "<w:sectPr", 1)})


Maker = Callable[[list[Seed]], Fields]
_REPORT_ROWS = "".join(f"<tr>{'<td>1</td>' * 100}</tr>" for _ in range(1000))
HOSTILE: list[tuple[str, Maker]] = [
    *[(f"empty{s or '-no-suffix'}", lambda seeds, s=s: {"suffix": s}) for s in SUFFIXES],
    ("whitespace.txt", lambda seeds: {"data": b" \n\t\r\n\xe3\x80\x80" * 100, "suffix": ".txt"}),
    ("bom-only.html", lambda seeds: {"data": b"\xef\xbb\xbf", "suffix": ".html"}),
    ("nul-bytes.txt", lambda seeds: {"data": bytes(4096), "suffix": ".txt"}),
    *[(f"200MB-sparse.{f}", lambda seeds, f=f: {"data": _seed(seeds, f).data, "size": 200 * MB, "suffix": "." + f})
      for f in ("pdf", "html", "docx")],
    ("99MB-sparse.pdf", lambda seeds: {"data": b"%PDF-1.4\n", "size": 99 * MB, "suffix": ".pdf"}),
    ("99MB-sparse.html", lambda seeds: {"data": b"<html><body>", "size": 99 * MB, "suffix": ".html"}),
    ("60MB-repeated.txt", lambda seeds: {"data": _seed(seeds, "txt").data * (60 * MB // len(_seed(seeds, "txt").data)),
                                         "suffix": ".txt"}),
    ("60MB-table-rows.html", lambda seeds: {"data": _with_body(seeds, "", "<table>" + _REPORT_ROWS * 60 + "</table>"),
                                            "suffix": ".html"}),
    ("nested-100k-div.html", lambda seeds: {"data": _with_body(seeds, "<div>" * 100_000, "</div>" * 100_000),
                                            "suffix": ".html"}),
    ("nested-10k-table.html", lambda seeds: {"data": _with_body(seeds, "<table><tr><td>" * 10_000,
                                                                "</td></tr></table>" * 10_000), "suffix": ".html"}),
    ("unclosed-100k-td.html", lambda seeds: {"data": _with_body(seeds, "<td>1" * 100_000, ""), "suffix": ".html"}),
    ("100k-cells.html", lambda seeds: {"data": _with_body(seeds, "", "<table>" + _REPORT_ROWS + "</table>"),
                                       "suffix": ".html"}),
    ("100k-cells-one-row.html", lambda seeds: {"data": _with_body(seeds, "<table><tr>" + "<td>7</td>" * 100_000
                                                                  + "</tr></table>", ""), "suffix": ".html"}),
    ("huge-spans.html", lambda seeds: {"data": _with_body(seeds, "<table>" + "<tr>" + "<td rowspan=65534 colspan=1000>1</td>"
                                                          * 100 + "</tr>" * 1000 + "</table>", ""), "suffix": ".html"}),
    ("1M-cells.xlsx", lambda seeds: {"data": _big_sheet(seeds, 100_000), "suffix": ".xlsx"}),
    ("100k-rows-table.docx", lambda seeds: {"data": _big_docx_table(seeds, 100_000), "suffix": ".docx"}),
    ("500-pages.pdf", lambda seeds: {"data": _many_pages(seeds, 500), "suffix": ".pdf"}),
    ("290-pages.pdf", lambda seeds: {"data": _many_pages(seeds, 290), "suffix": ".pdf"}),
    ("page-tree-cycle.pdf", lambda seeds: {"data": _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                                         b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]), "suffix": ".pdf"}),
    ("deep-array.pdf", lambda seeds: {"data": _pdf([b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 100_000 + b"]" * 100_000
                                                    + b" >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]), "suffix": ".pdf"}),
    ("million-operators.pdf", lambda seeds: {"data": _pdf_page(b"BT /F1 1 Tf " + b"(1) Tj " * 1_000_000 + b"ET"),
                                             "suffix": ".pdf"}),
    ("inflate-1GB-stream.pdf", lambda seeds: {"data": _pdf_bomb(), "suffix": ".pdf"}),
    ("bomb-300MB-member.docx", lambda seeds: {"data": _big_member(seeds, "docx", "word/media/zeros.bin", 300 * MB),
                                              "suffix": ".docx"}),
    ("bomb-300MB-member.xlsx", lambda seeds: {"data": _big_member(seeds, "xlsx", "xl/media/zeros.bin", 300 * MB),
                                              "suffix": ".xlsx"}),
    ("bomb-lying-sizes.docx", lambda seeds: {"data": _lying_sizes(seeds), "suffix": ".docx"}),
    ("bomb-overlapping-entries.docx", lambda seeds: {"data": _overlapping(seeds), "suffix": ".docx"}),
    ("bomb-10001-entries.xlsx", lambda seeds: {"data": _zip([("xl/workbook.xml", b"<workbook/>")]
                                                            + [(f"xl/x{k}.xml", b"") for k in range(10_001)]),
                                               "suffix": ".xlsx"}),
    *[(f"traversal-{fmt}-{k}", lambda seeds, fmt=fmt, name=name: {
        "data": _zip(_entries(_seed(seeds, fmt).data) + [(name, b"<x/>")]),
        "suffix": "." + fmt})
      for fmt in ("docx", "xlsx")
      for k, name in enumerate(["../../../../tmp/govstats-evil.xml", "/etc/passwd", "C:\\Windows\\evil.xml",
                                "word/../../evil.xml", "xl/..\\..\\evil.xml"])],
    *[(f"laughs-{fmt}-{member.replace('/', '_')}", lambda seeds, fmt=fmt, member=member: {
        "data": _with_xml(seeds, fmt, member, LAUGHS, b"&lol9;"), "suffix": "." + fmt})
      for fmt, member in [("docx", "word/document.xml"), ("docx", "[Content_Types].xml"), ("docx", "word/styles.xml"),
                          ("docx", "docProps/core.xml"), ("xlsx", "xl/worksheets/sheet1.xml"),
                          ("xlsx", "xl/workbook.xml"), ("xlsx", "xl/sharedStrings.xml"), ("xlsx", "[Content_Types].xml")]],
    ("quadratic-blowup.docx", lambda seeds: {"data": _with_xml(seeds, "docx", "word/document.xml", QUADRATIC,
                                                               b"&a;" * 50_000), "suffix": ".docx"}),
    ("quadratic-blowup.xlsx", lambda seeds: {"data": _with_xml(seeds, "xlsx", "xl/worksheets/sheet1.xml", QUADRATIC,
                                                               b"&a;" * 50_000), "suffix": ".xlsx"}),
    ("xxe-passwd.docx", lambda seeds: {"data": _with_xml(seeds, "docx", "word/document.xml", XXE, b"&xxe;"),
                                       "suffix": ".docx"}),
    ("xxe-passwd.xlsx", lambda seeds: {"data": _with_xml(seeds, "xlsx", "xl/worksheets/sheet1.xml", XXE, b"&xxe;"),
                                       "suffix": ".xlsx"}),
    *[(f"garbage-{name}", lambda seeds, head=head, suffix=suffix: {"data": _garbage(head), "suffix": suffix})
      for name, head, suffix in [("random.pdf", b"", ".pdf"), ("pk.docx", b"PK\x03\x04", ".docx"),
                                 ("ole.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
                                 ("ole-word.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"),
                                  ".doc"),
                                 ("pdf-header.pdf", b"%PDF-1.7\n", ".pdf"), ("rtf.doc", b"{\\rtf1 ", ".doc"),
                                 ("html.html", b"<html><body>", ".html")]],
    ("utf16-no-bom.txt", lambda seeds: {"data": synthetic.render_text(synthetic.make_report(5)).encode("utf-16-le"),
                                        "suffix": ".txt"}),
    ("utf8-gb18030-mix.txt", lambda seeds: {"data": b"\n".join(
        line.encode("utf-8" if k % 2 else "gb18030") for k, line in
        enumerate(synthetic.render_text(synthetic.make_report(6)).splitlines())), "suffix": ".txt"}),
    *[(f"{fmt}-as{suffix}", lambda seeds, fmt=fmt, suffix=suffix: {"data": _seed(seeds, fmt).data, "suffix": suffix})
      for fmt, suffix in [("html", ".pdf"), ("pdf", ".docx"), ("docx", ".xls"), ("xlsx", ".doc"), ("xls", ".xlsx"),
                          ("txt", ".xlsx"), ("doc", ".pdf"), ("rtf", ".html")]],
]

"""Markdown reports (PDF and Word converters' output) read to the HTML standard.

Generated reports are written as converters write them (govstats.testing.markdown): merged
cells as a text and empty cells, the `|---|` delimiter row, tables broken into pieces by
`###` headings, a bold title. Every value must come back exactly, as from the HTML page.
A real report's tables (excerpt 017 of the shared corpus) written the same way must give
its hand-checked values.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from helpers import CORPUS, FIXTURES, ROOT, values_of

import govstats
from govstats import formats
from govstats.documents import load_document
from govstats.errors import NotAReportError
from govstats.testing import synthetic
from govstats.testing.markdown import QUIRKS, render_markdown

QUIRK_SETS = [q for n in range(len(QUIRKS) + 1) for q in itertools.combinations(QUIRKS, n)]


def tidy(report) -> list[tuple]:
    return list(report.cells[["table", "row", "column", "value", "flag"]].itertuples(index=False, name=None))


@pytest.mark.parametrize("quirks", QUIRK_SETS, ids=lambda q: "+".join(q) or "plain")
def test_every_value_reads_back_as_from_the_html_page(write, synthetic_report, quirks):
    rep = synthetic_report
    report = govstats.read_report(write("report.md", render_markdown(rep, quirks)))
    html = govstats.read_report(write("report.html", synthetic.render_html(rep)))
    got = values_of(report)
    assert {k: got.get(k) for k in rep.values} == rep.values and set(got) == set(rep.values)
    assert tidy(report) == tidy(html)
    assert (report.format, report.agency, report.year, report.template) == ("md", rep.agency, rep.year, rep.template)
    assert report.ok


def test_blank_cells_next_to_a_merged_label_read_as_blank_zeros(write, synthetic_report):
    """An empty value cell and the empty cells a merged label leaves look alike: the row's width tells them apart."""
    rep = synthetic_report
    rep.blanks = {k for k, v in rep.values.items() if v == 0}
    assert any(k[0] == "requests" and k[2] == "natural_person" for k in rep.blanks)
    report = govstats.read_report(write("report.md", render_markdown(rep)))
    assert values_of(report) == rep.values
    flags = {(t, r, c): f for t, r, c, _, f in tidy(report)}
    assert {k for k, f in flags.items() if f == "blank"} == rep.blanks


def test_the_reader_keeps_cells_and_drops_markup(write):
    text = "\n".join([
        "**某某局2022年政府信息公开工作年度报告**", "",
        "## 二、主动公开政府信息情况", "",
        "| 信息内容 | 本年<br>制发件数 | a \\| b |", "| --- | :---: | ---: |", "| 规章 | 5 | 6 |", "",
        "### （续表）", "",
        "|  |  |  |", "| --- | --- | --- |", "| 行政规范性文件 | 7 |  |", "",
    ])
    doc = load_document(write("report.md", text))
    grids = sorted({c.table for c in doc.cells if c.table is not None})
    assert grids == [0, 1]
    assert [[c.text for c in doc.cells if c.table == t] for t in grids] == [
        ["信息内容", "本年\n制发件数", "a | b", "规章", "5", "6"],  # no row of '---' cells
        ["行政规范性文件", "7", ""],  # the continuing piece's empty header row is no row
    ]
    assert doc.text.splitlines()[:2] == ["某某局2022年政府信息公开工作年度报告", "二、主动公开政府信息情况"]
    assert "（续表）" in doc.text and "**" not in doc.text and "#" not in doc.text


def test_sniffing_tells_markdown_from_plain_text_and_html():
    rep = synthetic.make_report(3)
    assert formats.sniff(render_markdown(rep).encode()) == "md"
    assert formats.sniff(synthetic.render_text(rep).encode()) == "txt"  # cells ending ' |' but no delimiter row
    assert formats.sniff(synthetic.render_text(rep, "layout").encode()) == "txt"
    assert formats.sniff(synthetic.render_html(rep).encode()) == "html"
    texts = sorted(CORPUS.rglob("*.txt"))
    assert texts and {formats.sniff(p.read_bytes()) for p in texts} == {"txt"}


# Excerpt 017 (区统计局 2023, shared corpus): applicant cells printed empty with only 总计 = 0, the rules row
# printed '/', merged cells written as fillers. Truth and blanks as hand-checked in its JSON.
EXCERPT_017 = FIXTURES / "data" / "excerpt-017-converted.md"
ZERO_ROWS = {"normative_documents": ("issued", "repealed", "in_force"), "licensing": ("decisions",),
             "penalty": ("decisions",), "coercion": ("decisions",), "fees": ("amount_10k_yuan",)}
APPLICANTS = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
              "legal_service_org", "other_org")


def test_a_real_report_table_written_as_markdown_reads_its_checked_values():
    report = govstats.read_report(EXCERPT_017)
    blanks = {("active", "rules", c) for c in ("issued", "repealed", "in_force")}
    blanks |= {("requests", r, c) for r in ("new_received", "carried_over") for c in APPLICANTS}
    read = {("active", r, c) for r, cols in ZERO_ROWS.items() for c in cols}
    read |= {("requests", r, "total") for r in ("new_received", "carried_over")}
    flags = {(t, r, c): (v, f) for t, r, c, v, f in tidy(report)}
    assert flags == {**{k: (0.0, "blank") for k in blanks}, **{k: (0.0, "") for k in read}}
    assert (report.agency, report.year, report.template) == ("区统计局", 2023, "2021")
    totals = report.cells.query("table == 'requests' and column == 'total'")
    assert list(totals["printed"]) == ["0", "0"]  # the printed 0, not a filler cell before it


@pytest.mark.parametrize("path", ["data/raw/synthetic/README.md", "data/raw/corpus/PROVENANCE.md"])
def test_the_notes_beside_the_sample_reports_are_not_reports(path: str):
    """They are Markdown and name reports (PROVENANCE.md lists them in a table) but are none."""
    with pytest.raises(NotAReportError, match="neither the publishing body nor the year|no 政府信息公开") as err:
        govstats.read_report(ROOT / path)
    assert str(err.value).startswith(str(ROOT / path))


def test_a_markdown_file_may_carry_any_suffix(tmp_path: Path):
    """The content decides the reader: a converted report saved as .txt is still read as Markdown."""
    rep = synthetic.make_report(5)
    path = tmp_path / "report.txt"
    path.write_text(render_markdown(rep), "utf-8")
    report = govstats.read_report(path)
    assert report.format == "md" and values_of(report) == rep.values

"""The format registry: one entry per format, asked by every stage, each format with a round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from fetch_site import SITES
from helpers import RENDERED_FORMATS, render

from govstats import formats
from govstats.documents import load_document
from govstats.fetch.platforms import PLATFORMS, is_document_url
from govstats.fetch.safety import file_name
from govstats.testing import synthetic


def test_every_readable_format_has_a_round_trip() -> None:
    """tests/unit/documents/test_office_formats.py reads each of these back against the HTML rendering."""
    assert set(RENDERED_FORMATS) == {f.name for f in formats.FORMATS} - {"encrypted"}


def test_every_crawl_platform_has_a_fixture_site() -> None:
    assert set(SITES) == set(PLATFORMS)


@pytest.mark.parametrize("fmt", ["html", "txt", "md", "docx", "xlsx", "xls"])
def test_the_registry_sniffs_each_rendering_as_its_own_format(tmp_path: Path, fmt: str) -> None:
    path = render(synthetic.make_report(3), fmt, tmp_path)
    assert formats.sniff(path.read_bytes()) == fmt
    assert load_document(path).format == fmt


@pytest.mark.parametrize("fmt", [f for f in formats.FORMATS if f.fetchable and not f.page and not f.text])
def test_every_document_format_is_fetched_and_named_with_its_own_suffix(fmt: formats.Format) -> None:
    for suffix in fmt.suffixes:
        url = f"http://127.0.0.1/files/report{suffix}"
        assert is_document_url(url), suffix
        assert file_name(url, None, fmt.name) == f"report{suffix}"  # not report.rtf.rtf
    assert file_name("http://127.0.0.1/download.jsp?id=7", None, fmt.name) == f"download.jsp{fmt.suffixes[0]}"


def test_a_folder_build_reads_every_suffix_the_registry_lists(tmp_path: Path) -> None:
    for suffix in sorted(formats.SUFFIXES):
        (tmp_path / f"report{suffix}").write_bytes(b"x")
    (tmp_path / "notes.csv").write_text("not a report")
    assert [p.suffix for p in formats.report_files(tmp_path)] == [f"{s}" for s in sorted(formats.SUFFIXES)]


def test_a_folder_build_reads_markdown_notes_too(tmp_path: Path) -> None:
    """A README.md is a Markdown file like a converted report: read, and refused by its content (not hidden)."""
    (tmp_path / "README.md").write_text("# Notes\n\nnot a report\n")
    assert formats.report_files(tmp_path) == [tmp_path / "README.md"]

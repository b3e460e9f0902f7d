"""Markdown reports: what PDF and Word converters and web archives publish as `.md`.

markdown-it-py (CommonMark with its GFM table rule) parses the file, so the reader knows
the syntax, not the regexes: pipe tables become grids (their `|---|` delimiter row is
syntax, never a row of cells), everything else becomes text lines without its markup
(`# `, `**`, links), which is what the metadata reads.

What converters do with a pipe table, which has no merged cells:

- a merged cell is written once and the positions it covers are left empty. The reader
  cannot tell such an empty cell from a blank value (only the template knows how many
  values a row holds), so it keeps every cell in place and the parser maps them;
- a table broken by a page is written as pieces with a heading (`### …`) between them, and
  each continuing piece needs a header row of its own, which converters leave empty: an
  all-empty header row is syntax too, not a printed row;
- a line break inside a cell is written `<br>`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..builder import Builder
from ..decode import decode_bytes
from ..model import Document

_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
_BREAKS = frozenset({"softbreak", "hardbreak"})
_TEXT_BLOCKS = frozenset({"code_block", "fence"})  # raw HTML blocks are markup, not text


def _plain(inline: Token) -> str:
    """An inline token's text without its markup: emphasis, links and code marks dropped, breaks kept."""
    parts: list[str] = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in _BREAKS or (child.type == "html_inline" and child.content.lower().startswith("<br")):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)  # its alt text
    return "".join(parts).strip()


def _rows(tokens: Sequence[Token]) -> Iterator[tuple[bool, list[str]]]:
    """(in the header, cell texts) for each row of one table's tokens."""
    head, row = False, list[str]()
    for tok in tokens:
        if tok.type in ("thead_open", "thead_close"):
            head = tok.type == "thead_open"
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "inline":
            row.append(_plain(tok))
        elif tok.type == "tr_close":
            yield head, row


def _table(tokens: Sequence[Token]) -> list[list[tuple[str, int, int]]]:
    """A table's printed rows as (text, rowspan, colspan) cells; an all-empty header row is no row."""
    return [[(text, 1, 1) for text in row] for head, row in _rows(tokens) if not head or any(row)]


def read_markdown(path: Path, data: bytes) -> Document:
    tokens = _PARSER.parse(decode_bytes(data, path))
    doc = Builder()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "table_open":
            end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
            doc.table(_table(tokens[i:end]))
            i = end
        elif tok.type == "inline":
            doc.text(_plain(tok))
        elif tok.type in _TEXT_BLOCKS:
            doc.text(tok.content)
        i += 1
    return doc.document(path, "md")

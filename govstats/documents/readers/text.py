"""Plain-text reports: exports of Word/HTML pages and `pdftotext -layout` output.

Four renderings occur, told apart by their shape:

- `pipe`: cells end with ' |' (one per line, or a whole row on one line);
- `tab`: each cell on a line starting with a tab, rows separated by blank lines, a cell
  that wraps continues on the next line without a tab;
- `paragraph`: one cell per paragraph, paragraphs separated by one blank line, so a run
  of k blank lines holds k-1 empty cells;
- `layout`: columns separated by runs of spaces (pdftotext -layout), numbers often by
  single spaces after their label; a whole table body may stand on one line, one space
  between cells.
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from ...normalize import CJK, read_number
from ..decode import decode_bytes
from ..lines import split_line
from ..model import Cell, Document


def _style(lines: list[str]) -> str:
    content = [ln for ln in lines if ln.strip()]
    if not content:
        return "layout"
    piped = sum(1 for ln in content if ln.rstrip().endswith("|") or ln.lstrip().startswith("|"))
    if piped >= 5 and piped >= 0.1 * len(content):
        return "pipe"
    tabbed = sum(1 for ln in content if ln.startswith("\t"))
    if tabbed >= 5 and tabbed >= 0.2 * len(content):
        return "tab"
    followed = sum(1 for a, b in zip(lines, lines[1:]) if a.strip() and not b.strip())
    if followed >= 0.7 * len(content):
        return "paragraph"
    return "layout"


def _row_start_dialect(lines: list[str]) -> bool:
    """Whether a lone '|' line opens each row (the other dialect uses it for an empty cell).

    In the row-start dialect most lone '|' lines come right before a row's label.
    """
    lone = [k for k, ln in enumerate(lines) if ln.strip() == "|"]
    before_text = sum(
        1 for k in lone if k + 1 < len(lines) and CJK.search(lines[k + 1]) and not lines[k + 1].lstrip().startswith("|")
    )
    return bool(lone) and before_text >= 0.5 * len(lone)


def _pipe_cells(lines: list[str]) -> list[Cell]:
    cells: list[Cell] = []
    row_start = _row_start_dialect(lines)
    pending: tuple[int, str] | None = None  # a line without '|' that the next '|' may close
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        if "|" not in line:
            if pending:
                cells.extend(Cell(t, line=pending[0]) for t in split_line(pending[1]))
            pending = (n, line)
            continue
        if pending and line.startswith("|"):
            line = pending[1] + line
            n = pending[0]
        elif pending:
            cells.extend(Cell(t, line=pending[0]) for t in split_line(pending[1]))
        pending = None
        if row_start and line == "|" and n < len(lines) and lines[n].strip() and not lines[n].lstrip().startswith("|"):
            continue  # opens the next row: not a cell
        pieces = line.split("|")
        tail = pieces.pop()
        cells.extend(Cell(p.strip(), line=n) for p in pieces)
        if tail.strip():
            cells.extend(Cell(t, line=n) for t in split_line(tail))
    if pending:
        cells.extend(Cell(t, line=pending[0]) for t in split_line(pending[1]))
    return cells


def _tab_cells(lines: list[str]) -> list[Cell]:
    cells: list[Cell] = []
    prev_tab = False
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            if raw.startswith("\t"):
                cells.append(Cell("", line=n))  # an empty cell
            prev_tab = prev_tab and raw.startswith("\t")
            continue
        if raw.startswith("\t"):
            cells.append(Cell(raw.strip(), line=n))
            prev_tab = True
        elif prev_tab and cells:
            last = cells[-1]
            cells[-1] = Cell(last.text + "\n" + raw.strip(), line=last.line)
        else:
            cells.extend(Cell(t, line=n) for t in split_line(raw))
            prev_tab = False
    return cells


def _paragraph_cells(lines: list[str]) -> list[Cell]:
    cells: list[Cell] = []
    blanks = 0
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            blanks += 1
            continue
        if cells and blanks > 1:
            cells.extend(Cell("", line=n - blanks + k) for k in range(1, blanks))
        blanks = 0
        cells.extend(Cell(t, line=n) for t in split_line(raw))
    return cells


def _body_cells(text: str) -> list[str]:
    """A table body printed on one line, one space between cells ('规章 2 9 1 行政规范性文件 4 1 7 …').

    Split into its words and values only where two runs of three or more values stand between
    words: prose prints a count here and there, never runs of them.
    """
    tokens = text.split()
    kinds = [read_number(t).kind != "text" for t in tokens]
    runs = [len(list(g)) for is_value, g in groupby(kinds) if is_value]
    interior = runs[:-1] if kinds and kinds[-1] else runs
    return tokens if sum(1 for r in interior if r >= 3) >= 2 else [text]


def _layout_cells(lines: list[str]) -> list[Cell]:
    return [Cell(c, line=n) for n, raw in enumerate(lines, 1) for t in split_line(raw) for c in _body_cells(t)]


_READERS = {"pipe": _pipe_cells, "tab": _tab_cells, "paragraph": _paragraph_cells, "layout": _layout_cells}


def text_document(path: Path, text: str, fmt: str = "txt", pages: int | None = None) -> Document:
    """A document from already-decoded text (also used for converted formats)."""
    lines = text.splitlines()
    cells = _READERS[_style(lines)](lines)
    return Document(path=path, format=fmt, text=text, cells=cells, pages=pages)


def read_text(path: Path, data: bytes) -> Document:
    return text_document(path, decode_bytes(data, path))

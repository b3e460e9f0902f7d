"""Map a document's cell stream to the schema's tables by their labels.

The stream is every cell in reading order (grids row by row, blocks of a grid side by
side one after the other, text line by line). A row label opens a row; the value cells
after it (numbers and blanks, skipping noise such as wrapped label fragments, vertical
one-character labels and page numbers), or the run of values printed just before it
where a PDF-to-text tool put the label below them, fill the row's columns. Columns are
told by the header cells the table prints (`headers`), in the template's order only
where they do not name every column (check `columns.by_header`). The review table has
no row labels of its own: it is the 15 values after its heading, in one table or three.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import cast

from .. import schema
from ..documents.model import Cell
from ..limits import LIMITS
from ..normalize import CJK, UNITS, Reading, in_unit, is_page_mark, normalize_label, read_number
from ..schema.units import COLUMN_UNITS
from .decode import RowDecoder, label_tail
from .headers import Token, _rx, chunked_orders, column_order, tokens
from .trace import Seen, Trace

_PROSE_COUNT = re.compile(schema.PROSE_COUNT)
LABEL_START_WITHIN = 30
_FRAGMENT = 8  # the longest line of a label wrapped in a narrow column, in normalised characters
_REVIEW_COLS = len(schema.REVIEW_COLUMNS)
_REVIEW_GROUPS = len(schema.REVIEW_ROWS)
REVIEW_WIDTH = _REVIEW_GROUPS * _REVIEW_COLS
_REVIEW_SHAPE = tuple((row.key, schema.COLUMN_ORDER["review"]) for row in schema.REVIEW_ROWS)  # the rows' columns
_UNIT_CELL = re.compile(f"^(?:{UNITS})$")  # a legacy 计量单位 cell: no value, no label
_LEGACY_CUMULATIVE = re.compile(schema.LEGACY_CUMULATIVE_HEADER)
_HEADER = re.compile("|".join(f"(?:{p})" for p in schema.HEADER_CELLS + tuple(r.pattern for r in schema.REVIEW_ROWS)))


@dataclass(frozen=True, slots=True)
class Value:
    """One table value as read, with the cell it came from."""

    table: str
    row: str
    column: str
    value: float
    flag: str  # "" read, "blank" inferred 0 from a blank mark, "unreadable", "missing"
    cell: Cell | None
    row_label: str | None = None  # the printed label, for rows the schema does not know
    column_label: str | None = None
    by_header: bool | None = None  # column told by printed header cells (False: by the template's order)


@dataclass(frozen=True, slots=True)
class Problem:
    rule: str
    table: str
    row: str
    column: str
    message: str
    severity: str = "error"


@dataclass
class Extraction:
    values: list[Value] = field(default_factory=list)
    tables_seen: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Item:
    cell: Cell
    kind: str  # number blank noise unit heading end label header text
    info: str | tuple[str, schema.Row] | None = None  # label: (table, row); heading: table key; else its text
    reading: float | None = None
    unit: str = ""  # a number's printed unit ('万元' in '6,842.29万元')
    match: re.Match[str] | None = None  # a label: where its row's pattern matched


def _could_be_label(text: str) -> bool:
    """Not too long, no sentence, no prose count ('37件'): normalised text a row label may be."""
    return len(text) <= LIMITS.max_label_chars and "。" not in text and not _PROSE_COUNT.search(text)


def _match_row(text: str, template: str) -> tuple[str, schema.Row, re.Match[str]] | None:
    """The row whose label the text is, and the match (which variant of the label: see `Seen.variant`)."""
    if not _could_be_label(text):
        return None
    best: tuple[str, schema.Row, re.Match[str]] | None = None
    for table in schema.label_tables(template):
        for row in schema.rows_for(table, template):
            m = _rx(row.pattern).search(text)
            if m and m.start() <= LABEL_START_WITHIN and (best is None or m.start() > best[2].start()):
                best = (table, row, m)
    return best


def _classify(cell: Cell, template: str) -> _Item:
    reading = read_number(cell.text)
    if reading.kind != "text":
        return _Item(cell, reading.kind, reading=reading.value, unit=reading.unit)
    text = normalize_label(cell.text)
    if cell.table is None and is_page_mark(cell.text):  # a page number is never a grid cell
        return _Item(cell, "noise", "page mark")
    if template == "legacy" and _UNIT_CELL.match(text):
        return _Item(cell, "unit", text)
    if len(text) <= 40:
        for table, pattern in schema.TABLE_HEADINGS.items() if template != "legacy" else ():
            if _rx(pattern).search(text):
                return _Item(cell, "heading", table)
        if _rx(schema.SECTION_END).search(text):
            return _Item(cell, "end")
    tail = label_tail(text)  # values glued to the label ('规章291') are no part of it
    row = _match_row(text, template) or (_match_row(text[:-len(tail)], template) if tail else None)
    if row:
        return _Item(cell, "label", row[:2], match=row[2])
    if _HEADER.search(text):
        return _Item(cell, "header", text)
    if len(text) <= 1:
        return _Item(cell, "noise", "short")
    return _Item(cell, "text", text)


def _is_value(item: _Item) -> bool:
    return item.kind in ("number", "blank")


def _is_unreadable(item: _Item) -> bool:
    """Short text where a number belongs ('abc', 'NaN', '1O'): a value that cannot be read."""
    return item.kind == "text" and len(str(item.info)) <= 8 and not CJK.search(str(item.info))


def _seen(item: _Item) -> Seen:
    m = item.match
    if m is None:
        return Seen(item.cell, item.kind, item.info)
    return Seen(item.cell, item.kind, item.info, m.group(0), m.re.pattern)


_TABLE_HEADING = re.compile("|".join(f"(?:{p})" for p in schema.TABLE_HEADINGS.values()))


def _block_by_block(cells: list[Cell]) -> list[Cell]:
    """Cells in reading order with the blocks of a grid read one after the other.

    A spreadsheet keeps a sheet as one grid, so tables printed side by side (table 四 beside
    table 三) come row by row, interleaved. A column empty in every row separates blocks:
    each block is read whole, left to right. A block is a table of its own only when it holds a
    table's heading: columns left empty by a merged label (a Markdown pipe table), or a block of
    numbers only (a table's columns printed empty, its header on an earlier page), stay with the
    table on their left.
    """
    out: list[Cell] = []
    k = 0
    while k < len(cells):
        j = k + 1
        if cells[k].table is not None:
            while j < len(cells) and (cells[j].page, cells[j].table) == (cells[k].page, cells[k].table):
                j += 1
        grid = cells[k:j]
        used = {c.col for c in grid if c.text.strip()}
        block: dict[int | None, int] = {}
        band, gap = 0, False
        for col in sorted({c.col or 0 for c in grid}):
            if col not in used:
                gap = True
            else:
                band, gap = band + int(gap and bool(block)), False
                block[col] = band
        headed = {0} | {block[c.col] for c in grid if c.col in block and _TABLE_HEADING.search(normalize_label(c.text))}
        merged = {b: max(w for w in headed if w <= b) for b in set(block.values())}
        out.extend(sorted(grid, key=lambda c: merged[block.get(c.col, 0)]) if len(headed) > 1 else grid)
        k = j
    return out


class _Parser:
    def __init__(self, cells: list[Cell], template: str, trace: Trace | None = None) -> None:
        self.template = template
        self.items = [_classify(c, template) for c in _block_by_block(cells) if not c.span_copy]
        self.trace = trace
        joined = self.join_wrapped_labels()
        self.last_outside = (-1, "")  # (item index, reason): a run of skipped values shares one reason
        if trace is not None:
            trace.seen.extend(map(_seen, self.items))
            for k, (label, text) in joined.items():
                trace.note(self.items[k].cell, "noise", f"continues the label {text!r} of line {label.line}")
        self.out = Extraction()
        self.decoder = RowDecoder(template)  # text rows whose values ran together: read once every row is in
        self.done: set[tuple[str, str]] = set()
        self.last_columns: dict[str, tuple[str, ...]] = {}
        self.request_heads: list[Token] = []  # table 三's header cells before its rows
        self.request_order: tuple[str, ...] | None = None  # its columns, once its first row is read
        self.active_heads: list[Token] = []  # the column headers of table 二's current section
        self.active_read = False  # whether a row of table 二 was read since its last header cell
        self.by_header: dict[str, bool] = {}  # requests / review: whether header cells told the columns
        # legacy: the 统计表's value columns (历年累计 where its header cell is printed), the top-level row
        # read last (the parent of a 其中 row), and each row's label as printed
        self.legacy_columns = schema.LEGACY_VALUE_COLUMNS if any(
            _LEGACY_CUMULATIVE.search(normalize_label(it.cell.text)) for it in self.items
            if it.kind in ("text", "header")) else schema.LEGACY_VALUE_COLUMNS[:1]
        self.legacy_parent = ""
        self.legacy_labels: dict[str, str] = {}
        self.orphans: list[_Item] = []  # the run of values just passed that no row took
        self.orphans_after_row = False  # whether that run follows a label, header or heading (not prose)
        # A procurement amount printed under a 万元 header is converted to yuan.
        self.procurement_10k = any(
            it.kind == "header" and re.search(schema.PROCUREMENT_10K_HEADER, str(it.info)) for it in self.items
        )

    # ------------------------------------------------------------ wrapped labels
    def join_wrapped_labels(self) -> dict[int, tuple[Cell, str]]:
        """Labels that PDF-to-text tools wrap in a narrow column, their values beside the first line.

        `pdftotext -layout` prints such a row as its label's first fragment and the values on
        one line, and the rest of the label, a fragment a line, on the lines below (left of
        them the fragments of the group and section cells). The label is its first fragment
        and the last cell of each following line without values; where that text is a row's
        label and the first fragment alone is not, the fragment opens the row and the
        continuations are noise. Returns the continuations: item index → (label cell, label).
        """
        lines: dict[int, list[int]] = {}
        for k, item in enumerate(self.items):
            if item.cell.line is not None and item.cell.table is None:
                lines.setdefault(item.cell.line, []).append(k)
        order = sorted(lines)
        joined: dict[int, tuple[Cell, str]] = {}
        for n, line in enumerate(order):
            ks = lines[line]
            first = next((p for p, k in enumerate(ks) if _is_value(self.items[k])), 0)
            start = ks[first - 1] if first else -1
            if start < 0 or self.items[start].kind != "text":
                continue
            parts, tails = [str(self.items[start].info)], []
            for later in order[n + 1:]:
                last = self.items[lines[later][-1]]
                part = normalize_label(last.cell.text)
                if any(_is_value(self.items[k]) for k in lines[later]) or not (
                        last.kind in ("text", "label") and len(part) <= _FRAGMENT or last.info == "short"):
                    break
                if last.kind == "label":  # the end of this label (法规禁止公开), not another row's start
                    whole = _match_row("".join(parts) + part, self.template)
                    if whole is None or whole[:2] != last.info:
                        break
                parts.append(part)
                tails.append(lines[later][-1])
            found = _match_row("".join(parts), self.template) if tails else None
            if found:
                label = self.items[start].cell
                self.items[start] = _Item(label, "label", found[:2], match=found[2])
                for k in tails:
                    self.items[k] = _Item(self.items[k].cell, "noise", "short")
                    joined[k] = (label, "".join(parts))
        return joined

    # ------------------------------------------------------------ collecting
    def collect(self, start: int, n: int, label: Cell | None = None) -> tuple[list[_Item], int, bool]:
        """Up to n value items from `start`; returns (values, next index, hit the end).

        In a grid, every cell of the label's own row is a value slot: text there is an
        unreadable value (NaN), never skipped, so the values after it keep their columns.
        """
        values: list[_Item] = []
        i = start
        while i < len(self.items) and len(values) < n:
            item = self.items[i]
            in_row = label is not None and label.table is not None and (
                (item.cell.table, item.cell.row, item.cell.page) == (label.table, label.row, label.page))
            if _is_value(item) or ((values or in_row) and item.kind in ("text", "noise", "header") and (
                    in_row or _is_unreadable(item))):
                values.append(item)
            elif item.kind in ("noise", "unit") or (not values and item.kind in ("text", "header")):  # before the row
                pass
            else:
                break
            i += 1
        return values, i, i >= len(self.items)

    def emit(self, table: str, row: str, columns: tuple[str, ...], values: list[_Item], at_end: bool,
             label: Cell, printed: str | None = None) -> None:
        if (table, row) in self.done and row != "unmapped":
            if self.trace is not None:
                self.trace.note(label, "label", f"row {table}/{row} printed again; the first printing is kept")
                for item in values:
                    self.trace.note(item.cell, "skipped",
                                    f"in a second printing of row {table}/{row}; the first is kept")
            self.out.problems.append(
                Problem("duplicate_row", table, row, "", f"row printed again at {label.locate('')}; first kept",
                        "warning")
            )
            return
        self.done.add((table, row))
        if row != "unmapped" and self.decoder.take(table, [(row, columns)], label, [v.cell for v in values], at_end):
            if self.trace is not None:
                self.trace.note(label, "label", f"row {table}/{row}: {len(values)} value cells for {len(columns)} "
                                "columns on its line: read by the table's identities once every row is in")
            return
        for k, col in enumerate(columns):
            if k < len(values):
                item = values[k]
                if not _is_value(item):
                    val, flag = math.nan, "unreadable"
                else:
                    assert item.reading is not None, "a number or blank item carries its reading"
                    val, flag = float(item.reading), "blank" if item.kind == "blank" else ""
                    # a money cell's own unit is nearer than the header's: a 万元 header is not applied twice
                    own = in_unit(Reading(item.kind, val, item.unit), COLUMN_UNITS.get((table, col), ""))
                    if own is not None:
                        val = own
                    elif row == "procurement" and col == "amount_yuan" and self.procurement_10k:
                        val *= 10_000
                self.out.values.append(Value(table, row, col, val, flag, item.cell, printed,
                                             by_header=self.by_header.get(table)))
            elif not at_end:
                self.out.values.append(Value(table, row, col, math.nan, "missing", label, printed,
                                             by_header=self.by_header.get(table)))
        if len(values) < len(columns):
            where = "the document ends" if at_end else "the row ends"
            if self.trace is not None:
                self.trace.note(label, "label", f"row {table}/{row}: {len(values)} of {len(columns)} values found "
                                f"before {where}")
            self.out.problems.append(
                Problem("row_values", table, row, "",
                        f"{len(values)} of {len(columns)} values found before {where}",
                        "warning" if at_end else "error")
            )

    # ------------------------------------------------------------ columns
    def heads(self, at: list[Token], i: int, heads: schema.HeaderSet) -> None:
        """Note the columns header item i names, in reading order."""
        at.extend(tokens(str(self.items[i].info), heads))

    def by_position(self, table: str, what: str, cell: Cell) -> None:
        """Note that a table's columns are read in the national template's order (check columns.by_header)."""
        self.by_header[table] = False
        if self.trace is not None:
            self.trace.note(cell, "label" if table == "requests" else "value", f"no printed header cells name "
                            f"every {what} of table {table}: its values are read in the national template's order")

    def request_columns(self, label: Cell) -> tuple[str, ...]:
        """Table 三's columns in the order its header cells print them (the template's if none do)."""
        if self.request_order is None:
            self.request_order = column_order(self.request_heads, schema.APPLICANT_HEADS)
            self.by_header["requests"] = True
            if self.request_order is None:
                self.request_order = schema.COLUMN_ORDER["requests"]
                self.by_position("requests", "applicant column", label)
        return self.request_order

    def active_columns(self, row: schema.Row, label: Cell) -> tuple[str, ...]:
        """A row of table 二's columns in the order its section's header cells print them."""
        keys = set(row.columns)
        heads = schema.HeaderSet(tuple(h for h in schema.ACTIVE_HEADS[self.template].leaves if h[0] in keys))
        order = column_order([t for t in self.active_heads if t[0] in keys], heads)
        self.active_read = True
        self.by_header["active"] = order is not None
        if order is None and self.trace is not None:
            self.trace.note(label, "label", "no printed header cells name every column of its section: its values "
                            "are read in the national template's order")
        return order or row.columns

    # ------------------------------------------------------------ tables
    def merge_remnants(self, i: int, n: int) -> int:
        """How many empty cells after grid label i a merge left, before the row's n values.

        A format without merged cells (a Markdown pipe table) writes a merged label once and
        leaves the positions it covers empty, so `label |  |  | 5 | …` holds more cells than
        values. Of the windows of n cells whose cells outside are all empty, the one that
        keeps every printed cell is taken when it is the only one; else none is skipped.
        """
        label = self.items[i].cell
        if label.table is None:
            return 0
        where = (label.table, label.row, label.page)
        end = i + 1
        while end < len(self.items) and (self.items[end].cell.table, self.items[end].cell.row,
                                         self.items[end].cell.page) == where:
            end += 1
        empty = [not self.items[j].cell.text.strip() for j in range(i + 1, end)]
        fits = [s for s in range(len(empty) - n + 1) if all(empty[:s]) and all(empty[s + n:])]
        skip = fits[0] if len(fits) == 1 else 0
        if self.trace is not None:
            for j in range(i + 1, i + 1 + skip):
                self.trace.note(self.items[j].cell, "skipped", "an empty cell the merged label before it covers")
        return skip

    def detached(self, n: int) -> list[_Item]:
        """The run of n values printed just before a label, as PDF-to-text tools write a wrapped label.

        Only a run that follows another row (or the table's header) and that no row took: the
        values of an unknown label printed in prose are never moved to the next label.
        """
        whole = len(self.orphans) == n and any(item.kind == "number" for item in self.orphans)
        run = self.orphans if self.orphans_after_row and whole else []
        self.orphans = []
        if run and self.trace is not None:
            for item in run:
                self.trace.notes.pop(id(item.cell), None)
        return run

    def beside_label(self, i: int) -> bool:
        """Whether header item i is a group cell printed on the line (or grid row) of the label after it."""
        j = i + 1
        while j < len(self.items) and self.items[j].kind in ("noise", "header"):
            j += 1
        if self.items[i].kind != "header" or j >= len(self.items) or self.items[j].kind != "label":
            return False
        a, b = self.items[i].cell, self.items[j].cell
        return (a.line is not None and a.line == b.line) or (
            a.table is not None and (a.page, a.table, a.row) == (b.page, b.table, b.row))

    def over_label(self, i: int) -> bool:
        """Whether label i is a group cell over the label after it ((六)其他处理 beside 1.申请人…)."""
        j = i + 1
        while j < len(self.items) and self.items[j].kind == "noise":
            j += 1
        return j < len(self.items) and self.items[j].kind == "label"

    def row(self, i: int, table: str, row: schema.Row) -> int:
        label = self.items[i].cell
        if table == "legacy":
            return self.legacy_row(i, row)
        columns = self.active_columns(row, label) if table == "active" else self.request_columns(label)
        before = self.detached(len(columns)) if (table, row.key) not in self.done and not self.over_label(i) else []
        if before:
            if self.trace is not None:
                self.trace.note(self.items[i].cell, "label", "its values are printed before it (a label detached "
                                "below its values)")
            self.last_columns[table] = columns
            self.emit(table, row.key, columns, before, False, self.items[i].cell)
            return i + 1
        skip = self.merge_remnants(i, len(columns))
        values, nxt, at_end = self.collect(i + 1 + skip, len(columns), self.items[i].cell)
        if not values and not label_tail(self.items[i].cell.text):
            if self.trace is not None:
                self.trace.note(self.items[i].cell, "label", "no values follow: a group header over its sub-rows, "
                                "or a row cut off")
            return i + 1  # a group header ((六)其他处理 over its sub-rows) or a cut-off row
        self.last_columns[table] = columns
        self.emit(table, row.key, columns, values, at_end, self.items[i].cell)
        return nxt

    def legacy_row(self, i: int, row: schema.Row) -> int:
        """A row of the pre-2019 统计表: its printed label kept, a repeated label told by the row above it."""
        label = self.items[i].cell
        if row.group:
            row = schema.legacy_row_under(row, self.legacy_parent)
        else:
            self.legacy_parent = row.key
        values, nxt, at_end = self.collect(i + 1, len(self.legacy_columns), label)
        if not values:
            if not label_tail(label.text):
                return i + 1  # words of a sentence or a heading that look like a label
            nxt, at_end = i + 1, False  # every value glued to the label: the row is whole, whatever follows
        self.legacy_labels.setdefault(row.key, printed_label(label.text))
        self.last_columns["legacy"] = self.legacy_columns
        self.emit("legacy", row.key, self.legacy_columns, values, at_end, label, self.legacy_labels[row.key])
        return nxt

    def unmapped(self, i: int, table: str) -> int:
        columns = self.last_columns.get(table) or (
            self.request_columns(self.items[i].cell) if table == "requests" else ("unmapped",)
        )
        label = self.items[i].cell
        values, nxt, at_end = self.collect(i + 1, len(columns), label)
        self.emit(table, "unmapped", columns, values, at_end, label, label.text)
        if self.trace is not None:
            self.trace.note(label, "unmatched", f"matches no row of the {self.template} template, but values follow "
                            f"it in table {table}: kept as row 'unmapped'")
        self.out.problems.append(
            Problem("unmapped_row", table, "unmapped", "", f"row '{label.text}' is not in the schema; kept as unmapped",
                    "warning")
        )
        return nxt

    def review(self, i: int) -> int:
        """Table 四: its 15 values after the heading, in one table or several (one per group).

        Header cells broken over grid rows or pages (one character each, a page break inside
        them) are joined by grid column when the whole cells do not name the results.
        Runs of values are taken until there are 15 or the section ends; a run too short for a
        table is passed over. A run of blanks only counts as the values of as many groups as
        header cells named since the last run: blank spacer cells under a header (the first group's
        merged result cells) or after the heading are not a table.
        """
        named = 0  # row_heads that named a group when the last run was taken
        pieces: dict[int, list[str]] = {}  # grid column → fragments of a header broken over rows or pages
        row_heads: list[Token] = []
        result_heads: list[Token] = []
        values: list[_Item] = []
        at_end = False
        while i < len(self.items) and len(values) < REVIEW_WIDTH:
            item = self.items[i]
            if item.kind in ("end", "heading", "label"):
                break
            if not _is_value(item):
                if item.kind == "header":
                    self.heads(row_heads, i, schema.REVIEW_ROW_HEADS)
                    self.heads(result_heads, i, schema.REVIEW_RESULT_HEADS)
                elif item.kind in ("text", "noise") and item.cell.col is not None:
                    pieces.setdefault(item.cell.col, []).append(normalize_label(item.cell.text))
                i += 1
                continue
            run, nxt, at_end = self.collect(i, REVIEW_WIDTH - len(values))
            numbers = sum(1 for v in run if v.kind == "number")
            whole_groups = len(run) % _REVIEW_COLS == 0
            groups = sum(1 for key, _ in row_heads if key) - named
            if not values and numbers and (row_heads or result_heads or len(run) >= _REVIEW_COLS) and self.decoder.take(
                    "review", _REVIEW_SHAPE, run[0].cell, [v.cell for v in run], at_end):  # ran together: settle()
                self.out.tables_seen.add("review")
                self.done.update(("review", key) for key, _ in _REVIEW_SHAPE)
                return nxt
            if (numbers and (whole_groups or at_end or len(run) >= _REVIEW_COLS)) or (
                    whole_groups and groups == len(run) // _REVIEW_COLS):
                values += run
                named += groups
            elif self.trace is not None:
                for v in run:
                    self.trace.note(v.cell, "skipped", f"a run of {len(run)} values ({numbers} numbers) in the "
                                    f"review section is not its table of {REVIEW_WIDTH} values")
            i = nxt
        if values:
            if len(chunked_orders(result_heads, schema.REVIEW_RESULT_HEADS)) not in (1, _REVIEW_GROUPS):
                result_heads = [t for col in sorted(pieces) for t in tokens("".join(pieces[col]),
                                                                            schema.REVIEW_RESULT_HEADS)]
            self.review_values(values, row_heads, result_heads, at_end and len(values) < REVIEW_WIDTH)
        return i

    def review_values(self, values: list[_Item], row_heads: list[Token],
                      result_heads: list[Token], at_end: bool) -> None:
        """Table 四's values to its rows and columns, by its header cells where they name every one."""
        self.out.tables_seen.add("review")
        self.by_header["review"] = True
        rows = column_order(row_heads, schema.REVIEW_ROW_HEADS)
        results = chunked_orders(result_heads, schema.REVIEW_RESULT_HEADS)
        if rows is None:
            rows = schema.ROW_ORDER["review"]
            self.by_position("review", "column group", values[0].cell)
        if len(results) not in (1, _REVIEW_GROUPS):
            results = [schema.COLUMN_ORDER["review"]]
            self.by_position("review", "result column", values[0].cell)
        for r, row in enumerate(rows):
            part = values[r * _REVIEW_COLS:(r + 1) * _REVIEW_COLS]
            if part or not at_end:
                self.emit("review", row, results[min(r, len(results) - 1)], part, at_end, values[0].cell)

    def run(self) -> Extraction:
        context: str | None = None
        i = 0
        while i < len(self.items):
            item = self.items[i]
            if not _is_value(item) and item.kind not in ("noise", "label") and not self.beside_label(i):
                self.orphans = []
            if item.kind == "heading":
                context = str(item.info)
                if context == "review":
                    i = self.review(i + 1)
                    continue
            elif item.kind == "end":
                context = None
            elif item.kind == "label":
                assert isinstance(item.info, tuple), "a label item carries its (table, row)"
                table, row = item.info
                context = table
                self.out.tables_seen.add(table)
                i = self.row(i, table, row)
                continue
            elif item.kind == "header" and context == "active":
                if self.active_read:
                    self.active_heads, self.active_read = [], False
                self.heads(self.active_heads, i, schema.ACTIVE_HEADS[self.template])
            elif item.kind == "header" and context == "requests" and self.request_order is None and not (
                    _rx(schema.REVIEW_HEADER).search(str(item.info))):
                self.heads(self.request_heads, i, schema.APPLICANT_HEADS)
            elif item.kind == "header" and context != "review" and self.template != "legacy" and (
                    _rx(schema.REVIEW_HEADER).search(str(item.info))):
                context = "review"  # the table without its heading: found by its own header cells
                i = self.review(i)
                continue
            elif (
                item.kind == "text"
                and context in ("active", "requests", "legacy")
                and len(str(item.info)) <= 30
                and CJK.search(str(item.info))
                and i + 1 < len(self.items)
                and self.items[i + 1].kind == "number"
            ):
                i = self.unmapped(i, context)
                continue
            elif _is_value(item):
                self.orphan(i)
            i += 1
        self.settle()
        return self.out

    def settle(self) -> None:
        """The held rows, read by the identities: `inferred` values, or NaN and a failed check."""
        for d in self.decoder.decide(self.out.values):
            readings = d.values if d.values is not None else (math.nan,) * len(d.columns)
            flag = "inferred" if d.values is not None else "unreadable"
            printed = self.legacy_labels.get(d.row) if d.table == "legacy" else None
            self.out.values.extend(Value(d.table, d.row, col, v, flag, d.cell, printed)
                                   for col, v in zip(d.columns, readings))
            if d.values is None:
                self.out.problems.append(Problem("row_values", d.table, d.row, "",
                                                 f"values printed as {d.cell.text!r} cannot be told apart: {d.why}"))

    def orphan(self, i: int) -> None:
        """Value item i went into no row: it may belong to a label printed after it (`detached`)."""
        if not self.orphans:
            j = i - 1
            while j >= 0 and self.items[j].kind == "noise":
                j -= 1
            self.orphans_after_row = j >= 0 and self.items[j].kind in ("label", "header", "heading")
        self.orphans.append(self.items[i])
        if self.trace is not None:
            reason = self.last_outside[1] if self.last_outside[0] == i - 1 else self._outside(i)
            self.last_outside = (i, reason)
            self.trace.note(self.items[i].cell, "skipped", reason)

    def _outside(self, i: int) -> str:
        """Why value item i belongs to no row, told from the nearest cell before it that is not a value."""
        j = i - 1
        while j >= 0 and (_is_value(self.items[j]) or self.items[j].kind == "noise"):
            j -= 1
        if j < 0:
            return "no row label before it"
        before = self.items[j]
        text = before.cell.text
        if before.kind == "label":
            table, row = cast("tuple[str, schema.Row]", before.info)
            return f"row {table}/{row.key} before it has already taken its values"
        if before.kind == "text":
            if self.items[i].kind == "number" and _could_be_label(str(before.info)) and self.trace is not None:
                self.trace.note(before.cell, "unmatched", f"values follow it, but it matches no row label of the "
                                f"{self.template} template")
            return f"no row label before it: the text before it, {text!r}, matches no row label"
        return f"no row label between it and the {before.kind} cell {text!r} before it"


def printed_label(text: str) -> str:
    """A legacy indicator's label as printed: no white space, numbering kept, glued unit and values dropped."""
    bare = re.sub(r"\s+", "", text)
    bare = re.sub(r"[\d./—]+$", "", bare) if label_tail(text) else bare
    return re.sub(f"(?:{UNITS})$", "", bare) or bare


def extract_tables(cells: list[Cell], template: str, trace: Trace | None = None) -> Extraction:
    """Every value of the tables that the cell stream holds: the three national ones, or the legacy 统计表.

    A `trace` passed in is filled with how each cell was classified and why cells were
    passed over (for `govstats explain`); without one the parser records nothing.
    """
    if template not in schema.ACTIVE_ROWS and template != "legacy":
        return Extraction()
    return _Parser(cells, template, trace).run()

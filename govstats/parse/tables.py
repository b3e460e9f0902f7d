"""Map a document's cell stream to the schema's tables by their labels.

The stream is every cell in reading order (grids row by row, text line by line). A
row label opens a row; the value cells after it (numbers and blanks, skipping noise
such as wrapped label fragments, vertical one-character labels and page numbers) fill
the row's columns in the template's fixed order. The review table has no row labels
of its own in the stream: it is the first run of 15 values after its heading.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from typing import cast

from .. import schema
from ..documents.model import Cell
from ..limits import LIMITS
from ..normalize import CJK, is_page_mark, normalize_label, read_number
from .decode import RowDecoder, label_tail
from .trace import Seen, Trace
from .units import in_column_units

_PROSE_COUNT = re.compile(schema.PROSE_COUNT)
LABEL_START_WITHIN = 30
_REVIEW_COLS = len(schema.REVIEW_COLUMNS)
REVIEW_WIDTH = len(schema.REVIEW_ROWS) * _REVIEW_COLS
_HEADER = re.compile("|".join(f"(?:{p})" for p in schema.HEADER_CELLS + tuple(r.pattern for r in schema.REVIEW_ROWS)))


@functools.cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


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
    kind: str  # number blank noise heading end label header text
    info: str | tuple[str, schema.Row] | None = None  # label: (table, row); heading: table key; else its text
    reading: float | None = None
    match: re.Match[str] | None = None  # a label: where its row's pattern matched


def _could_be_label(text: str) -> bool:
    """Not too long, no sentence, no prose count ('37件'): normalised text a row label may be."""
    return len(text) <= LIMITS.max_label_chars and "。" not in text and not _PROSE_COUNT.search(text)


def _match_row(text: str, template: str) -> tuple[str, schema.Row, re.Match[str]] | None:
    """The row whose label the text is, and the match (which variant of the label: see `Seen.variant`)."""
    if not _could_be_label(text):
        return None
    best: tuple[str, schema.Row, re.Match[str]] | None = None
    for table in ("requests", "active"):
        for row in schema.rows_for(table, template):
            m = _rx(row.pattern).search(text)
            if m and m.start() <= LABEL_START_WITHIN and (best is None or m.start() > best[2].start()):
                best = (table, row, m)
    return best


def _classify(cell: Cell, template: str) -> _Item:
    reading = read_number(cell.text)
    if reading.kind != "text":
        return _Item(cell, reading.kind, reading=reading.value)
    text = normalize_label(cell.text)
    if cell.table is None and is_page_mark(cell.text):  # a page number is never a grid cell
        return _Item(cell, "noise", "page mark")
    if len(text) <= 40:
        for table, pattern in schema.TABLE_HEADINGS.items():
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


class _Parser:
    def __init__(self, cells: list[Cell], template: str, trace: Trace | None = None) -> None:
        self.template = template
        self.items = [_classify(c, template) for c in cells if not c.span_copy]
        self.trace = trace
        self.last_outside = (-1, "")  # (item index, reason): a run of skipped values shares one reason
        if trace is not None:
            trace.seen.extend(map(_seen, self.items))
        self.out = Extraction()
        self.decoder = RowDecoder(template)  # text rows whose values ran together: read once every row is in
        self.done: set[tuple[str, str]] = set()
        self.last_columns: dict[str, tuple[str, ...]] = {}
        # A procurement amount printed under a 万元 header is converted to yuan.
        self.procurement_10k = any(
            it.kind == "header" and re.search(schema.PROCUREMENT_10K_HEADER, str(it.info)) for it in self.items
        )

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
            elif item.kind == "noise" or (not values and item.kind in ("text", "header")):  # before the grid row
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
                    if row == "procurement" and col == "amount_yuan" and self.procurement_10k:
                        val *= 10_000
                self.out.values.append(Value(table, row, col, val, flag, item.cell, printed))
            elif not at_end:
                self.out.values.append(Value(table, row, col, math.nan, "missing", label, printed))
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

    def row(self, i: int, table: str, row: schema.Row) -> int:
        columns = row.columns if table == "active" else schema.COLUMN_ORDER["requests"]
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

    def unmapped(self, i: int, table: str) -> int:
        columns = self.last_columns.get(table) or (
            schema.COLUMN_ORDER["requests"] if table == "requests" else ("unmapped",)
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
        """The first run of values after the heading that is wide enough for the table.

        A run of blanks only counts once the table's own header cells have been passed:
        blank spacer cells after the heading are not a table.
        """
        header_seen = False
        while i < len(self.items):
            item = self.items[i]
            if item.kind in ("end", "heading", "label"):
                return i
            if not _is_value(item):
                header_seen = header_seen or (item.kind == "header" and bool(_rx(schema.REVIEW_HEADER).search(
                    str(item.info))))
                i += 1
                continue
            values, nxt, at_end = self.collect(i, REVIEW_WIDTH)
            numbers = sum(1 for v in values if v.kind == "number")
            full = len(values) == REVIEW_WIDTH
            shape = [(row.key, schema.COLUMN_ORDER["review"]) for row in schema.REVIEW_ROWS]
            if numbers and (header_seen or len(values) >= 5) and self.decoder.take(
                    "review", shape, values[0].cell, [v.cell for v in values], at_end):  # ran together: read later
                self.out.tables_seen.add("review")
                self.done.update(("review", key) for key, _ in shape)
                return nxt
            if (numbers and (full or at_end or len(values) >= 5)) or (full and header_seen):
                self.out.tables_seen.add("review")
                for r, row in enumerate(schema.REVIEW_ROWS):
                    part = values[r * _REVIEW_COLS:(r + 1) * _REVIEW_COLS]
                    if part or not at_end:
                        self.emit("review", row.key, schema.COLUMN_ORDER["review"], part,
                                  at_end, values[0].cell)
                return nxt
            if self.trace is not None:
                for v in values:
                    self.trace.note(v.cell, "skipped", f"a run of {len(values)} values ({numbers} numbers) in the "
                                    f"review section is not its table of {REVIEW_WIDTH} values")
            i = nxt
        return i

    def run(self) -> Extraction:
        context: str | None = None
        i = 0
        while i < len(self.items):
            item = self.items[i]
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
            elif item.kind == "header" and context != "review" and _rx(schema.REVIEW_HEADER).search(str(item.info)):
                context = "review"  # the table without its heading: found by its own header cells
                i = self.review(i)
                continue
            elif (
                item.kind == "text"
                and context in ("active", "requests")
                and len(str(item.info)) <= 30
                and CJK.search(str(item.info))
                and i + 1 < len(self.items)
                and self.items[i + 1].kind == "number"
            ):
                i = self.unmapped(i, context)
                continue
            elif self.trace is not None and _is_value(item):
                reason = self.last_outside[1] if self.last_outside[0] == i - 1 else self._outside(i)
                self.last_outside = (i, reason)
                self.trace.note(item.cell, "skipped", reason)
            i += 1
        self.settle()
        return self.out

    def settle(self) -> None:
        """The held rows, read by the identities: `inferred` values, or NaN and a failed check."""
        for d in self.decoder.decide(self.out.values):
            readings = d.values if d.values is not None else (math.nan,) * len(d.columns)
            flag = "inferred" if d.values is not None else "unreadable"
            self.out.values.extend(Value(d.table, d.row, col, v, flag, d.cell) for col, v in zip(d.columns, readings))
            if d.values is None:
                self.out.problems.append(Problem("row_values", d.table, d.row, "",
                                                 f"values printed as {d.cell.text!r} cannot be told apart: {d.why}"))

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


def extract_tables(cells: list[Cell], template: str, trace: Trace | None = None) -> Extraction:
    """Every value of the three tables that the cell stream holds (none for `legacy`).

    A `trace` passed in is filled with how each cell was classified and why cells were
    passed over (for `govstats explain`); without one the parser records nothing.
    """
    if template not in schema.ACTIVE_ROWS:
        return Extraction()
    return in_column_units(_Parser(cells, template, trace).run())

"""Rows whose cells ran together in a text dump, read back by the table's own identities.

A naive text dump writes a row's cells without separators (`一、本年新收…数量230000023`: the
seven cells 23 0 0 0 0 0 23), or drops its empty cells so the values after them shift. Such a
row has several readings; the report's identities (the six applicant columns sum to the total,
each review group's four results to its total, the outcomes to （七）总计, 一+二 = （七）+四) rule
most of them out. A row is read only where exactly one reading survives: then every value of
it is marked `inferred`; otherwise its values are NaN and the reason is reported. Never a guess.

Pure functions on the printed pieces of a row (digit runs and blank marks, in order):
`pieces` turns printed texts into them, `readings` enumerates the readings of one row,
`resolve` picks, across the rows of a table, the readings its identities leave. `RowDecoder`
holds such rows while the parser reads on and decides them once every row is in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .. import schema
from ..documents.model import Cell
from ..normalize import normalize_label, read_number

Vector = tuple[float, ...]

MAX_NODES = 50_000  # search steps per row, and per table, before giving up (undecided, never guessed)
MAX_READINGS = 64  # distinct readings kept per row; more is "ambiguous" and the row constrains nothing
MAX_SUMS = 5_000  # partial column sums tracked per identity when narrowing the rows' readings

# digits and blank marks run together ('23/0/5'); possessive, so a long run never backtracks
_RUN = re.compile(r"(?:\d++(?:\.\d++)?|/|—++)++")
_RUN_CHARS = frozenset("0123456789./—")
_PIECE = re.compile(r"\d+(?:\.\d+)?|/|—+")
_CELL = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d+)?$")  # one printed cell: no leading zero, no dangling point


@dataclass(frozen=True, slots=True)
class Group:
    """Consecutive cells of a row; `summed`: the last one is the sum of the others (counts only)."""

    size: int
    summed: bool


@dataclass(frozen=True, slots=True)
class Readings:
    """The distinct readings of a row, as value vectors; `complete` is False when a bound stopped the search."""

    found: tuple[Vector, ...]
    complete: bool

    def unique(self) -> Vector | None:
        return self.found[0] if self.complete and len(self.found) == 1 else None

    def why(self) -> str:
        """Why the row has no single reading, in words."""
        if not self.complete:
            return f"more than {len(self.found)} readings (search bounded)"
        return f"ambiguous: {len(self.found)} readings" if self.found else "no reading satisfies the identities"


def pieces(texts: Sequence[str]) -> list[str] | None:
    """The printed pieces of a row's value texts: digit runs ('230000023') and blank marks ('/').

    None when a text is neither (a signed number, thousands separators, a unit, prose): such a
    row is not one whose cells ran together.
    """
    out: list[str] = []
    for text in texts:
        s = normalize_label(text)
        if _RUN.fullmatch(s):
            out.extend("/" if p[0] == "—" else p for p in _PIECE.findall(s))
        elif read_number(text).kind == "blank":
            out.append("/")
        else:
            return None
    return out


def label_tail(label: str) -> str:
    """The digits glued to the end of a label cell ('…申请数量230000023' → '230000023')."""
    s = normalize_label(label)
    k = len(s)
    while k and s[k - 1] in _RUN_CHARS:
        k -= 1
    tail = s[k:].lstrip(".")  # a point before the digits ends the label ('3.' of '3.其他' never trails)
    return tail if _RUN.fullmatch(tail) and any(ch.isdigit() for ch in tail) else ""


def readings(parts: Sequence[str], groups: Sequence[Group], *, max_nodes: int = MAX_NODES,
             max_readings: int = MAX_READINGS) -> Readings:
    """Every way the pieces fill the groups' cells so that each summed group adds up.

    A digit piece holds one or more whole cells ('230000023' → 23|0|0|0|0|0|23), a blank mark
    exactly one (0), and an empty cell may have vanished anywhere (0, printed as nothing).

    The bound, and why it stays exact: the search goes cell by cell and, in a summed group,
    never enumerates the total: the total must be printed as the sum of the parts before it, so
    that one string is matched against what follows (or a vanished/blank 0 when the sum is 0).
    A part is cut off as soon as the digits left cannot hold the running sum any more (the total
    needs at least as many digits as the sum so far, parts being non-negative), and a branch as
    soon as the pieces left need more cells than remain. These cuts drop only branches that have
    no reading, so the enumeration is complete; on top, `max_nodes` search steps and
    `max_readings` readings bound the work, and a search stopped by them is `complete=False`:
    the row is then left undecided (NaN), never read from a partial enumeration.
    """
    cells = [(g, k) for g in groups for k in range(g.size)]
    n = len(cells)
    found: dict[Vector, None] = {}
    nodes = 0
    stopped = False
    dead: set[tuple[int, int, int, int]] = set()  # (cell, piece, offset, running sum) with no way to finish

    def chars(p: int, o: int) -> int:
        return sum(len(x) for x in parts[p:]) - o

    def step(c: int, p: int, o: int, s: int, values: list[float]) -> bool:
        """Whether some way to finish exists from cell c at piece p, offset o, running sum s."""
        nonlocal nodes, stopped
        nodes += 1
        if stopped or nodes > max_nodes or len(found) > max_readings:
            stopped = True
            return True  # unknown: never recorded as dead
        if c == n:
            if p == len(parts):
                found[tuple(values)] = None
            return p == len(parts)
        if len(parts) - p > n - c or (c, p, o, s) in dead:  # each piece left needs a cell of its own
            return False
        alive = explore(c, p, o, s, values)
        if not alive:
            dead.add((c, p, o, s))
        return alive

    def explore(c: int, p: int, o: int, s: int, values: list[float]) -> bool:
        group, k = cells[c]
        last = group.summed and k == group.size - 1
        piece = parts[p] if p < len(parts) else ""
        alive = False

        def take(value: float, p2: int, o2: int) -> None:
            nonlocal alive
            values.append(value)
            alive = step(c + 1, p2, o2, s + int(value) if group.summed and not last else 0, values) or alive
            values.pop()

        if last:
            if s == 0:
                take(0.0, p, o)  # vanished
                if piece == "/" and o == 0:
                    take(0.0, p + 1, 0)
            text = str(s)
            if piece != "/" and piece.startswith(text, o):
                end = o + len(text)
                take(float(s), *((p + 1, 0) if end == len(piece) else (p, end)))
            return alive
        take(0.0, p, o)  # vanished
        if piece == "/":
            if o == 0:
                take(0.0, p + 1, 0)
            return alive
        for end in range(o + 1, len(piece) + 1):
            text = piece[o:end]
            if not _CELL.match(text) or (group.summed and "." in text):
                continue
            value = float(text)
            nxt = (p + 1, 0) if end == len(piece) else (p, end)
            if group.summed and s + value > 0 and len(str(s + int(value))) > chars(*nxt):
                break  # longer parts only raise the sum: the total no longer fits
            take(value, *nxt)
        return alive

    step(0, 0, 0, 0, [])
    kept = tuple(found)[:max_readings + 1]
    return Readings(kept, not stopped)


Identity = tuple[tuple[str, ...], tuple[str, ...]]  # per column: sum of the first rows == sum of the second


def resolve(candidates: Mapping[str, Readings], known: Mapping[str, Vector], identities: Sequence[Identity],
            *, max_nodes: int = MAX_NODES) -> dict[str, Vector | None]:
    """The reading of each candidate row, or None where the identities leave more than one (or none).

    A row whose own identity leaves one reading keeps it. A row with several readings is read
    when, among the assignments of readings to every undecided row that satisfy every usable
    identity, it takes one and the same reading. An identity is usable when each of its rows is
    known or has a complete, non-empty set of readings; a row with none or too many makes it
    unusable (it then constrains nothing, which can only leave rows undecided). When no
    assignment satisfies them (the report's own arithmetic is off) or the search meets its
    bound, the identities decide nothing beyond each row's own.
    """
    out = {r: rd.unique() for r, rd in candidates.items()}
    open_rows = {r: rd.found for r, rd in candidates.items() if rd.complete and len(rd.found) > 1}
    usable = [(lhs, rhs) for lhs, rhs in identities
              if all(r in known or (r in candidates and candidates[r].complete and candidates[r].found)
                     for r in lhs + rhs)]
    involved = [r for r in sorted(open_rows, key=lambda r: len(open_rows[r]))
                if any(r in lhs + rhs for lhs, rhs in usable)]
    if not involved:
        return out
    fixed: dict[str, Vector] = dict(known) | {r: v for r, v in out.items() if v is not None}
    narrowed = _narrow({r: [v] for r, v in fixed.items()} | {r: list(open_rows[r]) for r in involved}, usable)
    if narrowed is None:  # no reading satisfies some identity: they decide nothing
        return out
    open_rows = {r: tuple(narrowed[r]) for r in involved}
    width = max(len(v) for rd in candidates.values() for v in rd.found)
    # per identity and side: the running per-column sum of its assigned rows, and how many are unassigned
    sums = [[[0.0] * width, [0.0] * width] for _ in usable]
    left = [[len(lhs), len(rhs)] for lhs, rhs in usable]
    places = {r: [(k, side) for k, sides in enumerate(usable) for side in (0, 1) if r in sides[side]]
              for r in set(fixed) | set(involved)}

    def add(row: str, v: Vector, sign: int) -> None:
        for k, side in places.get(row, ()):
            acc = sums[k][side]
            for col, x in enumerate(v):
                acc[col] += sign * x
            left[k][side] -= sign

    for row, v in fixed.items():
        add(row, v, 1)

    def holds() -> bool:
        for (a, b), (na, nb) in zip(sums, left):
            if na == 0 and nb == 0:
                if any(abs(x - y) > 1e-9 for x, y in zip(a, b)):
                    return False
            elif na == 0 or nb == 0:  # values are non-negative: a complete side bounds the other's partial sum
                whole, part = (a, b) if na == 0 else (b, a)
                if any(y > x + 1e-9 for x, y in zip(whole, part)):
                    return False
        return True

    used: dict[str, set[Vector]] = {r: set() for r in involved}
    chosen: dict[str, Vector] = {}
    nodes = 0
    stop = ""  # "bound": the search met max_nodes; "open": every row already has two readings

    def search(i: int) -> None:
        nonlocal nodes, stop
        nodes += 1
        if nodes > max_nodes:
            stop = "bound"
        if stop:
            return
        if i == len(involved):
            for r in involved:
                used[r].add(chosen[r])
            if all(len(u) > 1 for u in used.values()):
                stop = "open"
            return
        row = involved[i]
        for v in open_rows[row]:
            nodes += 1
            chosen[row] = v
            add(row, v, 1)
            if holds():
                search(i + 1)
            add(row, v, -1)

    if holds():
        search(0)
    if stop:
        return out
    for r in involved:
        if len(used[r]) == 1:
            out[r] = next(iter(used[r]))
    return out


def _narrow(domains: dict[str, list[Vector]], identities: Sequence[Identity],
            cap: int = MAX_SUMS) -> dict[str, list[Vector]] | None:
    """Each row's readings that take part in some assignment satisfying each identity on its own.

    Per identity, the partial sums reachable from the left and from the right (sets of column
    vectors) tell which readings of a row can complete it; this repeats until nothing changes.
    It only removes readings no solution uses, so the search after it stays exact; an identity
    whose partial sums outgrow `cap` is skipped (it then narrows nothing). None: some row has
    no reading left, so the identities cannot all hold.
    """
    changed = True
    while changed:
        changed = False
        for lhs, rhs in identities:
            terms = [(r, 1) for r in lhs] + [(r, -1) for r in rhs]
            kept = _supported([(domains[r], sign) for r, sign in terms], cap)
            if kept is None:
                continue
            for (r, _), vals in zip(terms, kept):
                if not vals:
                    return None
                if len(vals) < len(domains[r]):
                    domains[r], changed = vals, True
    return domains


def _supported(terms: list[tuple[list[Vector], int]], cap: int) -> list[list[Vector]] | None:
    """For sum(sign * reading) == 0 per column: the readings of each term that some solution uses."""
    def shift(sums: set[Vector], dom: list[Vector], sign: int) -> set[Vector] | None:
        out = {tuple(a + sign * b for a, b in zip(s, v)) for s in sums for v in dom}
        return out if len(out) <= cap else None

    width = len(terms[0][0][0])
    forward: list[set[Vector]] = [{(0.0,) * width}]
    for dom, sign in terms:
        nxt = shift(forward[-1], dom, sign)
        if nxt is None:
            return None
        forward.append(nxt)
    backward: list[set[Vector]] = [{(0.0,) * width}]
    for dom, sign in reversed(terms):
        nxt = shift(backward[-1], dom, sign)
        if nxt is None:
            return None
        backward.append(nxt)
    backward.reverse()
    return [[v for v in dom if any(tuple(-(a + sign * b) for a, b in zip(f, v)) in backward[i + 1]
                                   for f in forward[i])]
            for i, (dom, sign) in enumerate(terms)]


def _running_total(rd: Readings) -> Readings:
    """A legacy row's readings in which 历年累计 (the running total) is at least the year's figure."""
    return Readings(tuple(v for v in rd.found if len(v) < 2 or v[0] <= v[1]), rd.complete)


class Read(Protocol):
    """A value the parser read (parse.tables.Value), as far as the identities need it."""

    @property
    def table(self) -> str: ...
    @property
    def row(self) -> str: ...
    @property
    def column(self) -> str: ...
    @property
    def value(self) -> float: ...
    @property
    def flag(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Decided:
    """A row held back for decoding: its reading (None where not exactly one) and the glued text it came from."""

    table: str
    row: str
    columns: tuple[str, ...]
    values: Vector | None
    cell: Cell  # the printed values as one text, at the row's label
    why: str  # why `values` is None


@dataclass
class RowDecoder:
    """Rows of a text dump whose values ran together or lost their empty cells, held until the tables are read.

    The parser hands over a text row with fewer value cells than columns (`take`); once
    every row is read, `decide` reads each from its own identity and the table's.
    """

    template: str
    held: list[tuple[str, tuple[tuple[str, tuple[str, ...]], ...], Cell, Readings]] = field(default_factory=list)

    def take(self, table: str, rows: Sequence[tuple[str, tuple[str, ...]]], label: Cell,
             value_cells: Sequence[Cell], at_end: bool) -> bool:
        """Hold the row(s) when their values are text with too few cells; False leaves them to the parser.

        Only values that share the label's text line (or, for the review table, one line) are
        held: a line split on white space leaves no trace of an empty cell, while a grid, a dump
        of one cell a line ('… |') and a cut-off document keep their rows as printed.
        """
        width = sum(len(cols) for _, cols in rows)
        if at_end or len(value_cells) >= width or label.table is not None or label.line is None or any(
                c.table is not None or c.line != label.line for c in value_cells):
            return False
        tail = label_tail(label.text)
        texts = ([tail] if tail else []) + [c.text.strip() for c in value_cells]
        parts = pieces(texts)
        if not parts:
            return False
        groups = [Group(len(cols), table in ("requests", "review")) for _, cols in rows]  # last column the total
        printed = Cell(" ".join(texts), page=label.page, line=label.line if label.line is not None else
                       next((c.line for c in value_cells), None))
        self.held.append((table, tuple(rows), printed, readings(parts, groups)))
        return True

    def legacy(self, read: Sequence[Read]) -> dict[str, Vector | None]:
        """The held rows of a legacy 统计表, read by its identities (a row is the sum of its 其中 rows)."""
        candidates = {rows[0][0]: _running_total(rd) for table, rows, _, rd in self.held if table == "legacy"}
        if not candidates:
            return {}
        width = max(len(rows[0][1]) for table, rows, _, _ in self.held if table == "legacy")
        by_row: dict[str, dict[str, float]] = {}
        for v in read:
            if v.table == "legacy" and v.flag in ("", "blank") and v.column in schema.LEGACY_VALUE_COLUMNS:
                by_row.setdefault(v.row, {})[v.column] = v.value
        columns = schema.LEGACY_VALUE_COLUMNS[:width]
        known = {r: tuple(vals[c] for c in columns) for r, vals in by_row.items() if all(c in vals for c in columns)}
        present = set(known) | set(candidates)
        identities = [((top,), tuple(p for p in parts if p in present)) for top, parts in schema.LEGACY_PARTS.items()
                      if top in present and any(p in present for p in parts)]
        return resolve(candidates, known, identities)

    def decide(self, read: Sequence[Read]) -> list[Decided]:
        """Every held row with its reading: its own identity's, narrowed by the request table's identities."""
        columns = schema.COLUMN_ORDER["requests"]
        by_row: dict[str, dict[str, float]] = {}
        for v in read:
            if v.table == "requests" and v.flag in ("", "blank"):
                by_row.setdefault(v.row, {})[v.column] = v.value
        known = {r: tuple(vals[c] for c in columns) for r, vals in by_row.items() if all(c in vals for c in columns)}
        candidates = {rows[0][0]: rd for table, rows, _, rd in self.held if table == "requests"}
        present = set(known) | set(candidates)
        outcomes = tuple(r for r in schema.expected_rows("requests", self.template, present)
                         if r in schema.OUTCOME_ROWS) if candidates else ()
        balance = (("new_received", "carried_over"), ("total_processed", "carried_forward"))  # 一+二 = (七)+四
        chosen = resolve(candidates, known, [(outcomes, ("total_processed",)), balance])
        chosen |= {f"legacy/{r}": v for r, v in self.legacy(read).items()}
        out: list[Decided] = []
        for table, rows, cell, rd in self.held:
            whole = chosen[rows[0][0]] if table == "requests" else (
                chosen[f"legacy/{rows[0][0]}"] if table == "legacy" else rd.unique())
            at = 0
            for row, cols in rows:
                part = whole[at:at + len(cols)] if whole is not None else None
                out.append(Decided(table, row, cols, part, cell, "" if whole is not None else rd.why()))
                at += len(cols)
        return out

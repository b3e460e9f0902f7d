"""An optional record of what the table parser made of each cell, for `govstats explain`.

The parser fills a `Trace` only when one is passed to `extract_tables`; a normal read
passes none and pays nothing. The trace holds the parser's own classification of every
cell it looked at and a note for each decision that is not visible in the values it
returned: a value it passed over, a label that opened no row, a row printed twice.
Cells are keyed by identity (`id`), since equal text on the same page is not one cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..documents.model import Cell


@dataclass(frozen=True, slots=True)
class Seen:
    """One cell as classified: `kind` is number, blank, noise, heading, end, label, header or text."""

    cell: Cell
    kind: str
    info: object  # label: (table, schema.Row); heading: table key; noise: "page mark" | "short"; else its text
    variant: str | None = None  # label: the part of its normalised text that the row's pattern matched
    pattern: str | None = None  # label: that pattern


@dataclass(frozen=True, slots=True)
class Note:
    """A decision about a cell: `role` is what the parser took it for, `reason` why (in words)."""

    role: str
    reason: str


@dataclass
class Trace:
    seen: list[Seen] = field(default_factory=list)
    notes: dict[int, Note] = field(default_factory=dict)  # id(cell) -> note

    def note(self, cell: Cell, role: str, reason: str) -> None:
        self.notes[id(cell)] = Note(role, reason)

    def note_of(self, cell: Cell) -> Note | None:
        return self.notes.get(id(cell))

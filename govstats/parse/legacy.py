"""The legacy table's figures stated in prose: sentence statements as values of the `legacy` table.

Before 2019 many reports print no 统计表 and state their figures in sentences. Each statement
(`prose.statements`) becomes a value flagged `prose`, its sentence as `printed`: in the year's
column `value` where the table does not print that row, else in column `stated`, beside the
table's figure (the two disagree in real reports: 72804 in the table, 4970 in the text).
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import schema
from ..documents.model import Cell
from ..schema.enums import Flag
from ..schema.sentences import legacy_sentences
from .prose import Statement, statements
from .tables import Value


def stated_values(text: str, read: Sequence[Value]) -> list[Value]:
    """The legacy figures the sentences of `text` state, as values (after the table's `read`)."""
    return values_of(statements(text, legacy_sentences()), text, read)


def values_of(found: Sequence[Statement], text: str, read: Sequence[Value]) -> list[Value]:
    """Statements as legacy values: `value` (or `stated` where the table printed the row), `share` for shares."""
    printed = {v.row for v in read if v.table == "legacy" and v.column == "value"}
    out: list[Value] = []
    for s in found:
        column = s.column if s.column != "value" or s.subject or s.key not in printed else "stated"
        cell = Cell(s.sentence, line=text.count("\n", 0, s.span[0]) + 1)
        label = s.subject or schema.row_label("legacy", "legacy", s.key)
        out.append(Value("legacy", s.key, column, s.value, Flag.PROSE, cell, label))
    return out

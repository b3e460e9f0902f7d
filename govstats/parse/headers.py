"""Column order from printed header cells: which value goes to which column, by header text.

A report may print table 三's applicant columns or table 四's groups and results in any
order; a fixed order would give values wrong keys that no sum check can catch. The header
cells a table prints, in reading order (a grid's row by row, a text's line by line), name
the columns: a merged group cell (法人或其他组织, 行政诉讼) stands where its members are,
even when its members' own cells are printed later (on the next header row or line).
"""

from __future__ import annotations

import functools
import re

from ..schema import HeaderSet

Token = tuple[str, tuple[str, ...]]  # (column key, ()) for a column's cell; ("", members) for a group cell


@functools.cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def tokens(text: str, heads: HeaderSet) -> list[Token]:
    """The columns and groups a normalised header cell names, in the order it prints them."""
    found: list[tuple[int, Token]] = []
    for key, pattern in heads.leaves:
        m = _rx(pattern).search(text)
        if m:
            found.append((m.start(), (key, ())))
    for pattern, members in heads.groups:
        m = _rx(pattern).search(text)
        if m:
            found.append((m.start(), ("", members)))
    return [t for _, t in sorted(found, key=lambda f: f[0])]


def column_order(printed: list[Token], heads: HeaderSet) -> tuple[str, ...] | None:
    """The table's column keys in print order, or None unless the cells name every column once.

    A column takes the place of its group's cell when that cell came first, else its own.
    """
    place: dict[str, tuple[int, int]] = {}
    group_at: dict[str, int] = {}
    for i, (key, members) in enumerate(printed):
        for m in members:
            group_at.setdefault(m, i)
        if key and key not in place:
            place[key] = (group_at.get(key, i), i)
    if set(place) != set(heads.keys):
        return None
    return tuple(sorted(place, key=lambda k: place[k]))


def chunked_orders(printed: list[Token], heads: HeaderSet) -> list[tuple[str, ...]]:
    """Repeated runs of the same columns (table 四's results under each group): each run's order.

    A run ends where a column repeats; a run that does not name every column gives no order.
    """
    runs: list[list[Token]] = [[]]
    for t in printed:
        if t[0] in {k for k, _ in runs[-1]}:
            runs.append([])
        runs[-1].append(t)
    orders = [column_order(run, heads) for run in runs if run]
    return [o for o in orders if o is not None] if all(orders) else []

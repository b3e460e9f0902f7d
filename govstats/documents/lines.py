"""One text line → its cells: the column split every text-like reader shares."""

from __future__ import annotations

import re

from ..normalize import is_page_mark, read_number

_COLUMN_GAP = re.compile(r"\s{2,}|\u3000+")


def split_line(line: str) -> list[str]:
    """Cells of one text line: split on column gaps and peel off trailing numbers.

    '四、结转下年度继续办理 0 / 0' gives the label and three values (a blank mark is a
    value); '2020 年，…' stays one cell because it does not end in numbers.
    """
    out: list[str] = []
    for part in _COLUMN_GAP.split(line.strip()):
        if not part:
            continue
        if is_page_mark(part):
            out.append(part)
            continue
        tokens = part.split()
        k = len(tokens)
        while k > 0 and read_number(tokens[k - 1]).kind != "text":  # numbers and blank marks ('/', '—')
            k -= 1
        peeled = [read_number(t).kind for t in tokens[k:]]
        if k == len(tokens) or ("number" not in peeled and len(peeled) < 2):
            out.append(part)
        else:
            if k:
                out.append(" ".join(tokens[:k]))
            out.extend(tokens[k:])
    return out

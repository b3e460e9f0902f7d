"""`govstats explain FILE`: what the parser took each cell of a report for, and why."""

from __future__ import annotations

import argparse
import csv
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from .common import Subcommands, command

if TYPE_CHECKING:
    import pandas as pd

# Cells that are neither a label, a value, a header nor a decision: shown only with --all.
TEXT_ROLES = ("text", "noise", "page mark", "span copy", "not read")
SHOWN = ["where", "text", "role", "table", "row", "column", "value", "flag", "variant", "reason"]
TEXT_WIDTH = 28  # terminal columns: a Chinese character takes two


def _display(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns a reader needs as text, one line per cell: the file name dropped from `source`."""
    name = Path(frame.attrs["file"]).name
    out = frame.assign(where=frame["source"].str.removeprefix(name).str.strip(),
                       text=frame["text"].str.replace("\n", "⏎", regex=False).map(_clip),
                       value=frame["value"].map(lambda v: f"{v:.15g}", na_action="ignore"))
    out.loc[frame["role"] != "value", "value"] = None
    return out[SHOWN].astype(object).where(out[SHOWN].notna(), "")


def _width(text: str) -> int:
    """Columns a terminal gives the text: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str) -> str:
    """The text cut to TEXT_WIDTH terminal columns, marked with … where it was cut."""
    if _width(text) <= TEXT_WIDTH:
        return text
    kept, used = [], 1
    for ch in text:
        used += _width(ch)
        if used > TEXT_WIDTH:
            break
        kept.append(ch)
    return "".join(kept) + "…"


def _table(frame: pd.DataFrame) -> str:
    """Left-aligned columns that stay aligned with Chinese in them (pandas pads text to the right)."""
    rows = [list(map(str, frame.columns))] + [[str(v) for v in r] for r in frame.itertuples(index=False)]
    widths = [max(_width(r[k]) for r in rows) for k in range(len(frame.columns))]
    return "\n".join("  ".join(v + " " * (w - _width(v)) for v, w in zip(r, widths)).rstrip() for r in rows)


def _summary(frame: pd.DataFrame) -> str:
    roles = frame["role"].value_counts()
    counts = ", ".join(f"{roles.get(r, 0)} {r}" for r in ("value", "label", "unmatched", "skipped"))
    year = frame.attrs["year"] or "year not found"
    return f"{frame.attrs['file']}: template {frame.attrs['template']}, {year}; {len(frame)} cells: {counts}"


def add_parser(sub: Subcommands) -> argparse.ArgumentParser:
    p = command(sub, "explain", "show what the parser took each cell of one report for (labels, values, skipped "
                "numbers and why): the first tool to open when a report reads wrong", """
        govstats explain data/raw/corpus/huaian-shizhengfu-2024.pdf
        govstats explain report.html --all --csv cells.csv
    """)
    p.add_argument("file", type=Path, help="one report file (HTML, text, PDF, Word, Excel, …)")
    p.add_argument("--all", action="store_true", help="also list text, noise and merged-cell copies")
    p.add_argument("--csv", type=Path, metavar="OUT.csv", help="write the rows (every column) as CSV instead")
    return p


def run(args: argparse.Namespace) -> int:
    """Every value with the table, row and column it went to; every label with the row it opened and the
    part of its text that matched; every skipped number with the reason it went into no row."""
    from ..debug import explain
    from ..export.tables import csv_safe

    frame = explain(args.file)
    shown = frame if args.all else frame[~frame["role"].isin(TEXT_ROLES)]
    if args.csv:
        shown.apply(csv_safe).to_csv(args.csv, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_MINIMAL)
        print(f"wrote {len(shown)} rows to {args.csv}")
        return 0
    print(_summary(frame))
    print(_table(_display(shown)))
    return 0

"""`govstats show FILE CELL -o out.png`: a picture of where a value came from, the cell outlined."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import GovstatsError
from .common import Subcommands, command


def add_parser(sub: Subcommands) -> argparse.ArgumentParser:
    p = command(sub, "show", "draw where values of one report came from: the PDF page region (or the document's "
                "own table) with the cells outlined; or, with --overlay, what the reader found on a PDF page", """
        govstats show data/raw/corpus/huaian-shizhengfu-2024.pdf requests.new_received.total -o value.png
        govstats show report.docx requests -o table.png
        govstats show report.html requests..total -o column.png
        govstats show data/raw/corpus/huaian-shizhengfu-2024.pdf --overlay 4 -o page4.png
    """)
    p.add_argument("file", type=Path, help="one report file (any format the project reads)")
    p.add_argument("cell", nargs="?", metavar="CELL",
                   help="TABLE[.ROW[.COLUMN]] as `govstats explain` names them, e.g. requests.new_received.total; "
                        "an empty ROW (requests..total) takes a whole column")
    p.add_argument("--overlay", type=int, metavar="PAGE",
                   help="instead: PDF page PAGE with its ruling lines, tables and each cell's role drawn over it")
    p.add_argument("-o", "--out", type=Path, required=True, metavar="OUT.png", help="where to write the picture")
    return p


def run(args: argparse.Namespace) -> int:
    if args.overlay is not None:
        from ..debug import overlay

        image = overlay(args.file, args.overlay)
    else:
        if not args.cell:
            raise GovstatsError(args.file, "name the CELL to show (e.g. requests.new_received.total) or --overlay PAGE")
        from ..report import read_report

        parts = [p or None for p in args.cell.split(".")]
        if len(parts) > 3:
            raise GovstatsError(args.file, f"{args.cell!r} is not TABLE[.ROW[.COLUMN]] "
                                           "(e.g. requests.new_received.total)")
        table, row, column = (parts + [None, None])[:3]
        try:
            image = read_report(args.file).show(table, row, column)
        except (KeyError, ValueError) as exc:
            raise GovstatsError(args.file, f"{exc.args[0]}: see `govstats explain {args.file}` for its cells") from exc
    image.save(args.out)
    print(f"wrote {args.out} ({image.width}×{image.height})")
    return 0

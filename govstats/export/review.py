"""The review page: every report whose checks failed, each failure with its numbers, their picture and a
prepared line for RAW_DIR/corrections.csv. One static HTML file (pictures embedded as PNG data URIs), no
server and no script: it opens from disk, is mailed, is archived with the build.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..checks.rules import involved
from ..dataset import Dataset
from ..dataset.corrected import COLUMNS as CORRECTION_COLUMNS
from ..dataset.sources import CORRECTIONS
from ..errors import GovstatsError
from ..report import Place, Report, cells_at, narrowest, read_report
from ..schema.enums import Severity

MAX_PICTURE_PX = 1100  # wider pictures are scaled down: the page stays light, small print legible
PALETTE = 64  # colours of an embedded picture

STYLE = """
body { font-family: "Noto Sans SC", "Noto Sans CJK SC", sans-serif; margin: 2em auto; max-width: 1200px;
       color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
.meta { color: #666; font-size: .9em; }
.failure { margin: 1em 0 2em; padding: .8em; border-left: 4px solid #d32f2f; background: #fafafa; }
.failure.warning { border-left-color: #f9a825; }
table.numbers { border-collapse: collapse; margin: .6em 0; font-size: .9em; }
table.numbers td, table.numbers th { border: 1px solid #bbb; padding: 2px 8px; }
table.numbers td.n { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; border: 1px solid #ddd; margin: .4em 0; }
pre.line { background: #eef5ff; padding: .5em; overflow-x: auto; user-select: all; }
"""


@dataclass
class Failure:
    """One failed check of a report, what it is about and how to correct it."""

    rule: str
    severity: str
    message: str
    expected: float
    found: float
    target: Place | None  # None: about the report, no cell
    numbers: pd.DataFrame
    line: str | None  # a corrections.csv line, when one cell is to be corrected


def _number(x: object) -> str:
    return "" if pd.isna(x) else f"{x:g}"


def _line(path: str, sha256: str, check: pd.Series) -> str | None:
    """A corrections.csv line setting the checked cell to what the rule expects; none when the rule names no
    one cell (an identity over several rows: which of them the report got wrong is for a person to decide,
    and the value to write is not the identity's sum)."""
    if not check["table"] or not check["row"] or not check["column"] or math.isnan(check["expected"]):
        return None
    fields = [path, sha256, check["table"], check["row"], check["column"], _number(check["expected"]),
              check["message"], "", ""]
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    return out.getvalue()


def failures(ds: Dataset, report_id: str, severities: tuple[str, ...]) -> list[Failure]:
    """The report's own failed checks of those severities, in checks order; failures of one rule about the
    same cells (the rows missing from one table) are one entry."""
    checks = ds.checks[(ds.checks["report_id"] == report_id) & ~ds.checks["passed"].astype(bool)
                       & ds.checks["severity"].isin(severities) & ds.checks["related_report_id"].isna()]
    cells = ds.cells[ds.cells["report_id"] == report_id]
    meta = ds.reports[ds.reports["report_id"] == report_id].iloc[0]
    out: dict[tuple[str, Place | None], Failure] = {}
    for _, c in checks.iterrows():
        target = narrowest(cells, *involved(str(c["rule"]), str(c["table"]), str(c["row"]), str(c["column"])))
        if (str(c["rule"]), target) in out:  # e.g. the rows a cut-off table lacks: one entry, one picture
            out[(str(c["rule"]), target)].message += "; " + str(c["message"])
            continue
        numbers = cells[cells_at(cells, *target)] if target else cells.iloc[:0]
        out[(str(c["rule"]), target)] = Failure(
            str(c["rule"]), str(c["severity"]), str(c["message"]), c["expected"], c["found"], target, numbers,
            _line(str(meta["path"]), str(meta["sha256"]), c))
    return list(out.values())


def _png(report: Report | None, target: Place | None, cache: dict[Place, str]) -> str:
    """The target's picture as a data URI (one per target and report: failures about one table share it)."""
    if report is None or target is None:
        return ""
    if target not in cache:
        image = report.show(*target)
        if image.width > MAX_PICTURE_PX:
            image = image.resize((MAX_PICTURE_PX, round(image.height * MAX_PICTURE_PX / image.width)))
        buf = io.BytesIO()
        image.quantize(PALETTE).save(buf, "PNG", optimize=True)  # text and rules need few colours: a tenth the bytes
        cache[target] = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    return cache[target]


def _numbers_html(numbers: pd.DataFrame) -> str:
    if numbers.empty:
        return ""
    head = "<tr><th>row</th><th>column</th><th>printed</th><th>value</th><th>flag</th><th>source</th></tr>"
    rows = "".join(
        f"<tr><td>{html.escape(str(r.row_label))} <code>{html.escape(str(r.row))}</code></td>"
        f"<td>{html.escape(str(r.column_label))}</td><td class=n>{html.escape('' if pd.isna(r.printed) else r.printed)}"
        f"</td><td class=n>{_number(r.value)}</td><td>{html.escape(str(r.flag))}</td>"
        f"<td>{html.escape(str(r.source))}</td></tr>" for r in numbers.itertuples())
    return f"<table class=numbers>{head}{rows}</table>"


def _failure_html(f: Failure, picture: str) -> Iterator[str]:
    where = ".".join(x for x in (f.target or ()) if x)
    yield f"<div class='failure {html.escape(f.severity)}'>"
    yield (f"<p><b><code>{html.escape(f.rule)}</code></b> ({html.escape(f.severity)}) "
           f"{html.escape(where)}: {html.escape(f.message)}")
    if not (math.isnan(f.expected) and math.isnan(f.found)):
        yield f" — expected <b>{_number(f.expected)}</b>, printed <b>{_number(f.found)}</b>"
    yield "</p>"
    yield _numbers_html(f.numbers)
    if picture:
        yield f"<img src='{picture}' alt='{html.escape(where)} in the source'>"
    if f.line:
        yield f"<p>To correct it, check the source and add to <code>{CORRECTIONS}</code> (who, date at the end):</p>"
        yield f"<pre class=line>{html.escape(f.line)}</pre>"
    yield "</div>"


def review_html(ds: Dataset, raw: Path, *, severities: tuple[str, ...] = (Severity.ERROR,)) -> str:
    """The page for a dataset built from `raw` (its reports are opened there for their pictures)."""
    failing = ds.checks[~ds.checks["passed"].astype(bool) & ds.checks["severity"].isin(severities)
                        & ds.checks["related_report_id"].isna()]["report_id"]
    listed = ds.reports[ds.reports["report_id"].isin(set(failing))].sort_values("path")
    parts = ["<!DOCTYPE html>", "<html lang=zh-CN><head><meta charset=utf-8>",
             "<title>govstats review: failed checks</title>", f"<style>{STYLE}</style></head><body>",
             "<h1>Reports with failed checks</h1>",
             f"<p class=meta>{len(listed)} of {len(ds.reports)} files in {html.escape(str(raw))}; "
             f"severities: {', '.join(severities)}. A line of <code>{CORRECTIONS}</code> has the columns "
             f"<code>{','.join(CORRECTION_COLUMNS)}</code>; the next build applies it.</p>"]
    for r in listed.itertuples():
        try:
            report: Report | None = read_report(raw / r.path)
        except GovstatsError:
            report = None  # listed with its numbers; no picture of a file that cannot be read now
        pictures: dict[Place, str] = {}
        found = failures(ds, r.report_id, severities)
        parts.append(f"<h2>{html.escape(str(r.path))}</h2>")
        agency = "(agency not printed)" if pd.isna(r.agency) else str(r.agency)
        parts.append(f"<p class=meta>{html.escape(agency)} {_number(r.year)} · "
                     f"template {html.escape(str(r.template))} · {len(found)} failed · report {r.report_id}</p>")
        for f in found:
            parts.extend(_failure_html(f, _png(report, f.target, pictures)))
    parts.append("</body></html>")
    return "\n".join(parts)

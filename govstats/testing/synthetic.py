"""Generated reports with known values, laid out like the official templates.

Used by the tests (every format must read back the values put in), the benchmarks,
and the bundled sample corpus, where generated reports are marked `synthetic`.
The layout is the schema's (`schema.layouts`), so it follows the schema.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field

from .. import schema
from ..schema import Key, LayoutRow


@dataclass
class SyntheticReport:
    agency: str
    year: int
    template: str
    values: dict[Key, float]
    other_single_row: bool = False  # print （六）其他处理 as one row (2019, and some later reports)
    blanks: set[Key] = field(default_factory=set)  # zero cells printed as blank marks
    heading: tuple[str, ...] = ()  # the title as printed, line by line (default: `title` on one line)
    prose_name: str = ""  # what the prose calls the agency (default: its name; '我局' leaves only the title)
    printed: list[tuple[str, list[LayoutRow]]] | None = None  # another printed layout (testing.layouts)
    paragraphs: tuple[str, ...] = ()  # more prose after the opening section (a legacy report's stated figures)

    @property
    def title(self) -> str:
        return schema.REPORT_TITLE.format(agency=self.agency, year=self.year)

    def request_rows(self) -> tuple[str, ...]:
        return schema.request_rows(self.other_single_row)

    def active_rows(self) -> tuple[schema.Row, ...]:
        return schema.ACTIVE_ROWS[self.template]


def make_report(seed: int, agency: str = "示例市示例局", year: int = 2022, template: str | None = None,
                scale: int = 50) -> SyntheticReport:
    """A report whose numbers satisfy every 勾稽 rule, drawn from a seeded generator."""
    rng = random.Random(seed)
    template = template or ("2021" if year >= 2021 else "2019")
    rep = SyntheticReport(agency, year, template, {}, other_single_row=template == "2019")
    v = rep.values
    for row in rep.active_rows():
        for col in row.columns:
            hi = 10 if row.key in ("rules", "normative_documents") else scale * 200
            val: float = rng.randint(0, hi)
            if col == "change":
                val = rng.randint(-5, 5)
            if col in ("amount_10k_yuan",):
                val = round(rng.uniform(0, 5000), 1)
            v[("active", row.key, col)] = val
    outcomes = [r for r in rep.request_rows() if r in schema.OUTCOME_ROWS]
    for col in schema.APPLICANT_COLUMNS:
        weight = scale if col == "natural_person" else max(1, scale // 10)
        per = {r: rng.choice([0, 0, rng.randint(0, weight)]) for r in outcomes}
        per["granted"] = rng.randint(0, weight * 3)
        processed = sum(per.values())
        forward = rng.randint(0, max(1, processed // 5))
        over = rng.randint(0, forward + 2)
        new = processed + forward - over
        if new < 0:
            over, new = over + new, 0
        for r, n in per.items():
            v[("requests", r, col)] = n
        v[("requests", "total_processed", col)] = processed
        v[("requests", "carried_forward", col)] = forward
        v[("requests", "carried_over", col)] = over
        v[("requests", "new_received", col)] = new
    for r in rep.request_rows():
        v[("requests", r, "total")] = sum(v[("requests", r, c)] for c in schema.APPLICANT_COLUMNS)
    for row in schema.REVIEW_ROWS:
        parts = [rng.randint(0, scale // 5) for _ in schema.REVIEW_COLUMNS[:-1]]
        for column, n in zip(schema.REVIEW_COLUMNS, parts + [sum(parts)]):
            v[("review", row.key, column.key)] = n
    return rep


# ------------------------------------------------------------------ layout
def _fmt(rep: SyntheticReport, key: Key, blank: str = "") -> str:
    if key in rep.blanks:
        return blank
    val = rep.values[key]
    return f"{val:g}" if val != int(val) else str(int(val))


def layouts(rep: SyntheticReport) -> list[tuple[str, list[LayoutRow]]]:
    """The report's tables as it prints them: the schema's layout unless another is set."""
    return rep.printed if rep.printed is not None else schema.layouts(rep.template, rep.other_single_row)


def title_lines(rep: SyntheticReport) -> list[str]:
    """The title as printed: one line, or the lines of a title form (`govstats.testing.titles`)."""
    return list(rep.heading or (rep.title,))


def intro(rep: SyntheticReport) -> list[str]:
    name = rep.prose_name or rep.agency
    return [
        *title_lines(rep),
        f"本报告由{name}编制。本报告中所列数据的统计期限自{rep.year}年1月1日起至{rep.year}年12月31日止。",
        schema.OTHER_SECTIONS[0],
        f"{rep.year}年，{name}认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开。",
        *rep.paragraphs,
    ]


OUTRO = [schema.OTHER_SECTIONS[1], "下一步将进一步加强政府信息公开工作。", schema.OTHER_SECTIONS[2], "无。"]


# ------------------------------------------------------------------ renderers
def render_html(rep: SyntheticReport, *, charset: str | None = "utf-8") -> str:
    """An HTML page like a government site's: title, prose, three bordered tables."""
    e = html.escape
    parts = ["<html><head>"]
    if charset:
        parts.append(f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">')
    parts.append(f"<title>{e(' '.join(title_lines(rep)))}_政府信息公开</title></head><body><div class='article'>")
    head = title_lines(rep)
    prose = intro(rep)[len(head):]
    parts.append("<h1>" + "<br>".join(map(e, head)) + "</h1>")
    parts.extend(f"<p>{e(p)}</p>" for p in prose)
    for heading, layout in layouts(rep):
        parts.append(f"<p><strong>{e(heading)}</strong></p><table border='1'>")
        for lr in layout:
            tds = [f"<td rowspan='{rs}' colspan='{cs}'>{e(t)}</td>" for t, rs, cs in lr.labels]
            tds += [f"<td colspan='{lr.value_colspan}'>{e(_fmt(rep, k))}</td>" for k in lr.keys]
            parts.append("<tr>" + "".join(tds) + "</tr>")
        parts.append("</table>")
    parts.extend(f"<p>{e(p)}</p>" for p in OUTRO)
    parts.append("</div></body></html>")
    return "\n".join(parts)


def render_text(rep: SyntheticReport, style: str = "pipe", *, drop_blanks: bool = False) -> str:
    """Text renderings, one line a table row unless told otherwise.

    'pipe': one cell per line ending ' |'; 'layout': as pdftotext -layout (columns apart, values
    one space apart); 'glued': a naive dump running a row's values together after its label
    ('一、本年新收政府信息公开申请数量230000023'); 'oneline': each table's body on one line,
    every cell one space apart. `drop_blanks`: the report's blank cells (`rep.blanks`) vanish
    from the dump instead of printing '/', so the values after them shift.
    """
    lines = list(intro(rep))
    for heading, layout in layouts(rep):
        lines.append(heading)
        body: list[str] = []
        for lr in layout:
            labels = [t for t, _, _ in lr.labels]
            values = [_fmt(rep, k, "/") for k in lr.keys if not (drop_blanks and k in rep.blanks)]
            if style == "pipe":
                lines.append("|")
                lines.extend(f"{c} |" for c in labels + values)
            elif style == "oneline":
                body.extend(labels + values)
            elif style == "glued":
                lines.append("   ".join(labels) + "".join(values))
            else:
                text = "   ".join(labels)
                lines.append(f"{text}     {' '.join(values)}".rstrip() if text else "    " + " ".join(values))
        if body:
            lines.append(" ".join(body))
    lines.extend(OUTRO)
    return "\n".join(lines) + "\n"

"""The generated part of the bundled sample (data/raw/synthetic/): agencies over years.

Real reports rarely come as an agency's full series, so comparisons across agencies,
levels and years are shown on generated ones: five fictional agencies from a province down
to a street office, 2019–2024, both templates, HTML and text. Each year's 上年结转 equals
the previous year's 结转下年度, except one deliberate break (青山区 2022, 自然人 +3) for
the cross-year check to find; the department's 2023 report is published twice (two formats),
for the same-agency-year check. The directory holds a `.synthetic` marker:
`govstats build` flags every file below it `synthetic` in reports.parquet.
Same code, same bytes: the output is seeded.
"""

from __future__ import annotations

from pathlib import Path

from .. import schema
from ..dataset.sources import SYNTHETIC_MARKER
from .synthetic import SyntheticReport, make_report, render_html, render_text

YEARS = range(2019, 2025)
# (file stem, agency, scale of its request numbers, later years still printed on the 2019 template)
AGENCIES = [
    ("donghai-province", "东海省人民政府", 400, ()),
    ("linjiang-city", "临江市人民政府", 150, ()),
    ("qingshan-district", "临江市青山区人民政府", 60, ()),
    ("cuihu-street", "临江市青山区翠湖街道办事处", 5, (2021, 2022)),
    ("donghai-transport", "东海省交通运输厅", 40, ()),
]
MISMATCH = ("qingshan-district", 2022, "natural_person", 3)  # 上年结转 off by 3 against 2021's 结转下年度
TWICE = ("donghai-transport", 2023)  # also published in a second format
FORMATS = ("html", "pipe", "layout")
README = """# Generated reports (synthetic)

Written by `python -m govstats.testing data/raw/synthetic` (govstats/testing/sample.py); do not edit.
Every file here is generated, not published by any agency: the agencies are fictional, and
the `.synthetic` marker makes `govstats build` set `synthetic = True` for every file below
this directory. Each report's numbers satisfy its own 勾稽 rules; each year's 上年结转
equals the previous year's 结转下年度, except qingshan-district 2022 (自然人 +3, on purpose);
donghai-transport 2023 is there twice (two formats) on purpose.
"""


def carry_over(rep: SyntheticReport, previous: SyntheticReport, offset: dict[str, int] | None = None) -> None:
    """Make rep's 上年结转 the previous 结转下年度 (+ offset), keeping rep's own arithmetic."""
    v, offset = rep.values, offset or {}
    for c in schema.APPLICANT_COLUMNS:
        over = previous.values[("requests", "carried_forward", c)] + offset.get(c, 0)
        new = v[("requests", "total_processed", c)] + v[("requests", "carried_forward", c)] - over
        if new < 0:  # more carried over than handled: the surplus was granted this year
            v[("requests", "granted", c)] -= new
            v[("requests", "total_processed", c)] -= new
            new = 0
        v[("requests", "carried_over", c)] = over
        v[("requests", "new_received", c)] = new
    for r in rep.request_rows():
        v[("requests", r, "total")] = sum(v[("requests", r, c)] for c in schema.APPLICANT_COLUMNS)


def _name(stem: str, year: int, fmt: str, suffix: str = "") -> str:
    return f"{stem}-{year}{suffix}.{'html' if fmt == 'html' else 'txt'}"


def sample_reports() -> list[tuple[str, SyntheticReport, str]]:
    """(file name, report, format: html, pipe or layout text) of the whole sample, in a fixed order."""
    out = []
    for k, (stem, agency, scale, old_layout) in enumerate(AGENCIES):
        previous = None
        for year in YEARS:
            template = "2019" if year <= 2020 or year in old_layout else "2021"
            rep = make_report(1000 * k + year, agency, year, template, scale)
            if previous is not None:
                carry_over(rep, previous, {MISMATCH[2]: MISMATCH[3]} if (stem, year) == MISMATCH[:2] else {})
            fmt = FORMATS[(k + year) % len(FORMATS)]
            if scale < 10 and fmt != "layout":  # a small office prints zeros as blanks (layout text: not read yet)
                rep.blanks = {key for key, val in rep.values.items() if key[1] != "total" and val == 0}
            previous = rep
            out.append((_name(stem, year, fmt), rep, fmt))
            if (stem, year) == TWICE:
                other = "pipe" if fmt == "html" else "html"
                out.append((_name(stem, year, other, "-attachment"), rep, other))
    return out


def write_sample(out_dir: str | Path) -> list[Path]:
    """Write the sample into out_dir (replacing a previous one), with its marker and README."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if (out / SYNTHETIC_MARKER).exists():
        for old in out.glob("*-20[0-9][0-9]*.*"):
            old.unlink()
    (out / SYNTHETIC_MARKER).write_text("generated reports: see README.md\n", "utf-8")
    (out / "README.md").write_text(README, "utf-8")
    paths = []
    for name, rep, fmt in sample_reports():
        path = out / name
        path.write_text(render_html(rep) if fmt == "html" else render_text(rep, fmt), "utf-8")
        paths.append(path)
    return paths

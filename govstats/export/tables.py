"""Excel workbooks and CSV files for researchers who do not use pandas.

One workbook holds the summary tables a researcher asks for first (requests received,
outcomes, review and litigation, 主动公开), every failing check, the tidy cells and the
report list, with Chinese headers; `per_report=True` adds each report's tables laid out as
the official template prints them, to hold against the original. The tables are computed
here (`tables`); `govstats.export.xlsx` writes them safely and fast.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from .. import schema
from .._version import __version__
from ..analysis import measures as analysis
from ..analysis.agencies import classify
from ..analysis.labels import METRIC_LABELS
from ..checks.choice import PANEL_NAME, keyed
from ..dataset import Dataset, generations
from ..schema import outputs
from ..schema.enums import Flag
from ..util.atomic import atomic_write
from .labels import EXPORT_GLOSSARY, EXPORT_HEADERS, EXPORT_README, EXPORT_SHEETS, PEER_COLUMNS
from .xlsx import INT, PCT, RISKY_FIRST, Table, write_workbook

H = EXPORT_HEADERS
R = EXPORT_README
COLS = {**outputs.HEADERS, **PEER_COLUMNS}  # English column name → Chinese header
AMOUNT_FORMATS = {"amount_10k_yuan": "#,##0.0", "amount_yuan": INT}
AGENCY_YEAR = ["agency", "year"]
# 表二 labels of both templates (2021 wording where they share a key), without the 第二十条 heading.
ACTIVE_ROW_LABELS = {r.key: r.label for t in ("2019", "2021") for r in schema.ACTIVE_ROWS[t]}
ACTIVE_COLUMN_LABELS = {c.key: c.label for t in ("2019", "2021") for c in schema.ACTIVE_COLUMNS[t]}


@dataclass
class Selection:
    """The part of a dataset an export covers, and how it was chosen (for the 说明 sheet)."""

    cells: pd.DataFrame
    reports: pd.DataFrame
    checks: pd.DataFrame
    peers: pd.DataFrame  # agencies.classify: agency, region, level, level_label
    filters: list[str] = field(default_factory=list)
    directory: str = ""
    built: str = ""


def _contains(series: pd.Series, words: Sequence[str]) -> pd.Series:
    pattern = "|".join(re.escape(w) for w in words)
    return series.astype(object).fillna("").astype(str).str.contains(pattern, regex=True)


def select(dataset: Dataset, agency: Sequence[str] = (), year: Sequence[int] = (), region: Sequence[str] = (),
           directory: str | Path | None = None) -> Selection:
    """Reports whose agency name contains any of `agency`, of any of `year`, in any of `region`.

    `directory` is where the dataset was built (data/processed): the 说明 sheet names it and
    its build time.
    """
    reports = dataset.reports
    # an agency is known by what its reports print and by its name in the panel (the summaries' rows)
    named = keyed(reports)[PANEL_NAME]
    peers = classify(pd.concat([reports["agency"], named]).dropna().astype(str))
    filters = []
    if agency:
        reports = reports[_contains(reports["agency"], agency) | _contains(named[reports.index], agency)]
        filters.append(R["filter_agency"].format(values="、".join(agency)))
    if year:
        reports = reports[reports["year"].isin(list(year))]
        filters.append(R["filter_year"].format(values="、".join(map(str, year))))
    if region:
        names = peers.loc[_contains(peers["region"], region), "agency"]
        reports = reports[reports["agency"].isin(names) | named[reports.index].isin(names)]
        filters.append(R["filter_region"].format(values="、".join(region)))
    ids = set(reports["report_id"])
    checks = dataset.checks
    if filters:
        related = checks["related_report_id"] if "related_report_id" in checks else pd.Series(None, index=checks.index)
        checks = checks[checks["report_id"].isin(ids) | related.isin(ids)]
        peers = peers[peers["agency"].isin(reports["agency"]) | peers["agency"].isin(named[reports.index])]
    return Selection(dataset.cells[dataset.cells["report_id"].isin(ids)], reports, checks, peers, filters,
                     str(directory or ""), _built(directory))


def _built(directory: str | Path | None) -> str:
    """When the dataset in `directory` was published (its build's files), or "" if unknown."""
    if directory is None:
        return ""
    base = generations.current(Path(directory)) or Path(directory)
    stamp = next((p for p in (base / "build.json", base / "reports.parquet") if p.exists()), None)
    return datetime.fromtimestamp(stamp.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S") if stamp else ""


# ------------------------------------------------------------------ the summary tables
Term = tuple[str, str, str]
NARROW = ["report_id", "agency", "year", "template", "table", "row", "column", "value"]


@dataclass
class Summary:
    """What every agency-year sheet is cut from, computed once (analysis is the slow part of an export)."""

    keys: pd.DataFrame  # agency, year, report_id, template, region, level_label: one report per agency-year
    values: pd.DataFrame  # index (agency, year) × columns (table, row, column): that report's numbers
    metrics: pd.DataFrame  # index (agency, year) × columns metric: analysis.metrics values

    def take(self, terms: Sequence[Term]) -> pd.DataFrame:
        """The numbers of these cells, one row per key row (NaN where a report lacks one)."""
        index = pd.MultiIndex.from_frame(self.keys[AGENCY_YEAR])
        columns = pd.MultiIndex.from_tuples(terms, names=["table", "row", "column"])
        return self.values.reindex(index=index, columns=columns).reset_index(drop=True)

    def metric(self, name: str) -> pd.Series:
        index = pd.MultiIndex.from_frame(self.keys[AGENCY_YEAR])
        return self.metrics.reindex(index=index, columns=[name])[name].reset_index(drop=True)

    def frame(self, measures: dict[str, pd.Series]) -> pd.DataFrame:
        """Key columns, then the measures, then the report id: the layout of every agency-year sheet."""
        keys = self.keys[["agency", "region", "level_label", "year"]].rename(columns=COLS)
        report = self.keys[["report_id", "synthetic"]].rename(columns=COLS)
        return pd.concat([keys, pd.DataFrame(measures, index=keys.index), report], axis=1)


def summarise(sel: Selection) -> Summary:
    """One report per agency-year (the panel's choice: `analysis.one_per_agency_year`), its numbers and metrics."""
    narrow = analysis.plain(sel.cells[NARROW])  # analysis groups plain values much faster than categories
    chosen = analysis.one_per_agency_year(narrow, sel.reports if "values_read" in sel.reports else None)
    keys = chosen[["agency", "year", "report_id", "template"]].drop_duplicates("report_id").sort_values(AGENCY_YEAR)
    synthetic = sel.reports.set_index("report_id")["synthetic"] if "synthetic" in sel.reports else pd.Series(dtype=bool)
    keys = keys.assign(synthetic=keys["report_id"].map(synthetic).fillna(False).astype(bool))
    keys = keys.merge(sel.peers[["agency", "region", "level_label"]], on="agency", how="left").reset_index(drop=True)
    # the national tables (the sheets' layout); a legacy report's 统计表 has no sheet of its own
    mapped = chosen[(chosen["row"] != "unmapped") & (chosen["column"] != "unmapped") & (chosen["table"] != "legacy")]
    values = mapped.set_index(AGENCY_YEAR + ["table", "row", "column"])["value"].unstack(["table", "row", "column"])
    frame = analysis.metrics(chosen[chosen["table"] != "active"], by="agency_year")
    metrics = frame.pivot(index=AGENCY_YEAR, columns="metric", values="value")
    return Summary(keys, values, metrics)


def received_table(sel: Selection, summary: Summary) -> Table:
    """Agency × year: requests newly received (表三 一、本年新收, 总计)."""
    received = summary.take([("requests", "new_received", "total")]).iloc[:, 0]
    long = summary.keys.assign(value=received)
    wide = long.pivot(index="agency", columns="year", values="value")
    years = {y: H["year_count"].format(year=y) for y in wide.columns}
    peers = long.drop_duplicates("agency").set_index("agency")[["region", "level_label"]]
    synthetic = long.groupby("agency")["synthetic"].any()  # an agency-row marked when any of its years is
    frame = pd.concat([peers.reindex(wide.index), wide.rename(columns=years), synthetic.reindex(wide.index)],
                      axis=1).reset_index()
    return Table("received", frame.rename(columns=COLS), dict.fromkeys(years.values(), INT), frozen=1)


def outcomes_table(summary: Summary) -> Table:
    """Agency-year × outcome groups and their reasons: counts and shares of the total / of the group."""
    processed = summary.metric("processed")
    measures = {H["count"].format(label=METRIC_LABELS["processed"]): processed}
    shares = []
    for group in analysis.GROUPS:
        label, count = schema.OUTCOME_GROUPS[group][0], summary.metric(group)
        measures[H["count"].format(label=label)] = count
        measures[H["share"].format(label=label)] = analysis.ratio(count, processed)
        shares.append(H["share"].format(label=label))
    for group in analysis.REASON_GROUPS:
        label, total = schema.OUTCOME_GROUPS[group][0], summary.metric(group)
        counts = summary.take([("requests", row, "total") for row in analysis.GROUPS[group]])
        for (_t, row, _c), count in counts.items():
            names = {"group": label, "reason": analysis.reason_label(row)}
            measures[H["reason_count"].format(**names)] = count
            measures[H["reason_share"].format(**names)] = analysis.ratio(count, total)
            shares.append(H["reason_share"].format(**names))
    formats = {name: PCT if name in shares else INT for name in measures}
    return Table("outcomes", summary.frame(measures), formats, frozen=4)


def _table_terms(summary: Summary, table: str) -> list[Term]:
    """The (table, row, column) cells present in the data, in schema order."""
    present = {t for t in summary.values.columns if t[0] == table}
    return [(table, r, c) for r in schema.ROW_ORDER[table] for c in schema.COLUMN_ORDER[table]
            if (table, r, c) in present]


def review_table(summary: Summary) -> Table:
    """Agency-year × 表四 counts, then the correction rates."""
    counts = summary.take(_table_terms(summary, "review"))
    measures = {H["review_count"].format(row=schema.row_label("review", "2021", r),
                                         column=schema.column_label("review", "2021", c)): counts[(t, r, c)]
                for t, r, c in counts.columns}
    formats = dict.fromkeys(measures, INT)
    for rate in (m for m in analysis.METRICS if m.endswith("correction_rate")):
        measures[METRIC_LABELS[rate]] = summary.metric(rate)
        formats[METRIC_LABELS[rate]] = PCT
    return Table("review", summary.frame(measures), formats, frozen=4)


def active_table(summary: Summary) -> Table:
    """Agency-year × 表二 items (2019 and 2021 templates side by side; amounts with their unit)."""
    counts = summary.take(_table_terms(summary, "active"))
    measures: dict[str, pd.Series] = {COLS["template"]: summary.keys["template"]}
    formats = {}
    for t, r, c in counts.columns:
        name = H["active"].format(row=ACTIVE_ROW_LABELS[r], column=ACTIVE_COLUMN_LABELS[c])
        name += H["yuan"] if c == "amount_yuan" else ""
        measures[name], formats[name] = counts[(t, r, c)], AMOUNT_FORMATS.get(c, INT)
    return Table("active", summary.frame(measures), formats, frozen=4)


def checks_table(sel: Selection) -> Table:
    """Every check that did not pass, with the report's agency and year."""
    failed = analysis.plain(sel.checks[~sel.checks["passed"].astype(bool)])
    meta = analysis.plain(sel.reports[["report_id", "agency", "year", "path"]].drop_duplicates("report_id"))
    failed = failed.merge(meta, on="report_id", how="left")
    columns = ["report_id", "agency", "year", "rule", "severity", "table", "row", "column", "expected", "found",
               "message", "path", "related_report_id"]
    return Table("checks", _tidy(failed, columns), {}, frozen=3)


def corrections_table(sel: Selection) -> Table:
    """Every value replaced by RAW_DIR/corrections.csv: what was printed, what it was corrected to, and why."""
    corrected = analysis.plain(sel.cells[sel.cells["flag"] == Flag.CORRECTED])
    columns = ["report_id", "agency", "year", "table", "row", "column", "row_label", "column_label", "printed",
               "value", "correction", "source"]
    return Table("corrections", _tidy(corrected, columns), {}, frozen=3)


def _tidy(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The given columns that exist, headed in Chinese."""
    present = [c for c in columns if c in frame.columns]
    return frame[present].reset_index(drop=True).rename(columns=lambda c: COLS.get(c, c))


def readme_table(sel: Selection, exported: datetime) -> Table:
    """The 说明 sheet: what the workbook is, where the data come from, filters, glossary."""
    synthetic = int(sel.reports["synthetic"].fillna(False).astype(bool).sum()) if "synthetic" in sel.reports else 0
    overview = [
        (R["title"], R["about"]),
        (R["source"], R["source_text"].format(directory=sel.directory or "—")),
        (R["built"], sel.built or "—"),
        (R["exported"], exported.strftime("%Y-%m-%d %H:%M:%S")),
        (R["version"], __version__),
        (R["filters"], "；".join(sel.filters) or R["no_filters"]),
        (R["reports"], str(len(sel.reports))),
        (R["synthetic"], str(synthetic) + ("；" + R["synthetic_note"] if synthetic else "")),
        (R["unit"], R["unit_text"]),
        (R["one_report"], R["one_report_text"]),
        (R["nan"], R["nan_text"]),
        (R["csv"], R["csv_text"]),
    ]
    rows = [(R["overview"], item, text) for item, text in overview]
    rows += [(EXPORT_SHEETS[sheet], column, text) for sheet, column, text in EXPORT_GLOSSARY]
    return Table("readme", pd.DataFrame(rows, columns=[H["sheet_column"], H["item"], H["text"]]), {}, frozen=0)


def tables(sel: Selection, exported: datetime | None = None) -> list[Table]:
    """Every sheet of the workbook (and file of the CSV export), in sheet order."""
    summary = summarise(sel)
    return [
        readme_table(sel, exported or datetime.now()),
        received_table(sel, summary),
        outcomes_table(summary),
        review_table(summary),
        active_table(summary),
        checks_table(sel),
        corrections_table(sel),
        Table("cells", _tidy(sel.cells, list(sel.cells.columns)), {}, frozen=2),
        Table("reports", _tidy(sel.reports, list(sel.reports.columns)), {}, frozen=1),
    ]


# ------------------------------------------------------------------ writing
def export_excel(dataset: Dataset, path: str | Path, *, agency: Sequence[str] = (), year: Sequence[int] = (),
                 region: Sequence[str] = (), per_report: bool = False, directory: str | Path | None = None,
                 real_only: bool = False) -> Path:
    """Write the workbook (atomically) and return its path; see `select` for the filters.

    real_only: leave out the generated samples (`Dataset.real_only`).
    """
    sel = select(dataset.real_only() if real_only else dataset, agency, year, region, directory)
    path = Path(path)
    with atomic_write(path) as tmp:
        write_workbook(tmp, tables(sel), sel.cells, sel.reports if per_report else None)
    return path


PLAIN_NUMBER = re.compile(r"[+-]?[0-9.,]*")  # a signed number is no formula: "-3" stays "-3"


def csv_safe(series: pd.Series) -> pd.Series:
    """Text that Excel would run as a formula gets a leading ' (OWASP's advice against CSV injection)."""
    if pd.api.types.is_numeric_dtype(series):  # numbers and booleans
        return series
    return series.astype(object).map(
        lambda v: "'" + v if isinstance(v, str) and v[:1] and v[0] in RISKY_FIRST and not PLAIN_NUMBER.fullmatch(v)
        else v)


def export_csv(dataset: Dataset, directory: str | Path, *, agency: Sequence[str] = (), year: Sequence[int] = (),
               region: Sequence[str] = (), source: str | Path | None = None, real_only: bool = False) -> list[Path]:
    """The workbook's tables as UTF-8-with-BOM CSV files (Excel opens them with the Chinese intact).

    `source` is the dataset's directory, as `directory` of `export_excel`; `real_only` as there.
    """
    directory = Path(directory)
    paths = []
    for table in tables(select(dataset.real_only() if real_only else dataset, agency, year, region, source)):
        path = directory / f"{EXPORT_SHEETS[table.key]}.csv"
        with atomic_write(path) as tmp:
            table.frame.apply(csv_safe).to_csv(tmp, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_MINIMAL)
        paths.append(path)
    return paths


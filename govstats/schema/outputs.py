"""The output contract: every column of cells, checks, reports and panel, its type, meaning and Chinese header.

One definition drives the DataFrames of `Report.cells` / `Report.checks`, the Arrow schemas
of the Parquet files (and so the DuckDB tables copied from them), the Excel/CSV headers and
the field tables of docs/SCHEMA.md (`python -m govstats.schema.outputs` rewrites them; a test
checks the document is current). Importing this module imports neither pandas nor pyarrow:
dtypes are strings, and the Arrow schema is built on first use.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .agencies import AgencySource, Level
from .enums import Flag, Severity, Status, Template
from .sentences import legacy_crosswalk
from .tables import LEGACY_COLUMNS, LEGACY_PROSE_ROWS, LEGACY_ROWS

if TYPE_CHECKING:
    import pyarrow as pa

# dtype → (pandas dtype of a Report frame, meaning). `category`: text stored dictionary-encoded in
# Parquet, a pandas category after `load` (few distinct values, many rows); `string`: plain text.
PandasDtype = Literal["str", "Int64", "float64", "bool"]
DTYPES: dict[str, tuple[PandasDtype, str]] = {
    "category": ("str", "text (categorical)"),
    "string": ("str", "text"),
    "int64": ("Int64", "integer (nullable)"),
    "float64": ("float64", "float"),
    "bool": ("bool", "bool"),
}


@dataclass(frozen=True)
class Field:
    """One output column. `built`: added when a dataset is built (not in a `Report`'s frame)."""

    name: str
    dtype: str
    header: str  # the Excel/CSV column header
    description: str
    values: type[StrEnum] | None = None  # the closed set of values, when there is one
    built: bool = False

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise ValueError(f"{self.name}: unknown dtype {self.dtype!r}")

    @property
    def pandas(self) -> PandasDtype:
        """The pandas dtype of this column in `Report.cells` / `Report.checks`."""
        return DTYPES[self.dtype][0]


@dataclass(frozen=True)
class Output:
    """One output table: `<name>.parquet` and the DuckDB table of that name."""

    name: str
    description: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> list[str]:
        """Every column, in file order."""
        return [f.name for f in self.fields]

    @property
    def report_fields(self) -> tuple[Field, ...]:
        """The columns of a single `Report`'s frame (without those added by a build)."""
        return tuple(f for f in self.fields if not f.built)

    def arrow(self, *, plain: bool = False) -> pa.Schema:
        """The Parquet schema; `plain=True`: categories as plain strings and no pandas metadata
        (what per-report pieces are built and cached in)."""
        return _arrow(self, plain)


REPORT_ID = Field("report_id", "category", "报告编号",
                   "stable id of the source document: the first 16 hex digits of its content's SHA-256")
AGENCY = Field("agency", "category", "机关",
                "publishing body as printed, e.g. 拱墅区行政审批服务管理办公室; "
                "null when the document does not name it")
YEAR = Field("year", "int64", "年度", "the year the report covers (not the publication year); null when not printed")
TEMPLATE = Field("template", "category", "模板", "the table layout the report follows", values=Template)
TABLE = Field("table", "category", "表", "`active`, `requests` or `review` (tables below); `legacy` for a pre-2019 "
              "report's 统计表 and the figures its sentences state")
ROW = Field("row", "category", "行键", "row key (below); `unmapped` for a row the schema does not know")
COLUMN = Field("column", "category", "列键", "column key (below); `unmapped` for a column the schema does not know")

VALUE = Field("value", "float64", "数值", "the number; NaN where the cell is missing or unreadable (never a silent 0)")
FLAG = Field("flag", "category", "标记", "how the value was read: a printed number; printed empty or as a blank mark "
             "(—, -, /, 无) and read as 0; printed but not a number; not printed; or inferred: the row's values ran "
             "together in a text dump (`230000023`) and this is the one reading the table's identities allow, with "
             "`printed` the text as dumped; or corrected by a line of RAW_DIR/corrections.csv (`correction` says why)",
             values=Flag)

# where each value stands in its file, field by field (`source` says the same for reading); `Report.show` draws it
PROVENANCE = (
    Field("file", "string", "来源文件", "the source file's name"),
    Field("page", "int64", "页码", "1-based page of a paged format (PDF); null otherwise"),
    Field("source_table", "int64", "来源表序号", "1-based table of the file as the reader found it (a sheet of a "
          "workbook); null for a value read from a text line"),
    Field("source_row", "int64", "来源行号", "1-based row of that table; null outside a table"),
    Field("source_col", "int64", "来源列号", "1-based column of that table; null outside a table"),
    Field("line", "int64", "文本行号", "1-based line of a text file the value was read from; null otherwise"),
    Field("box_x0", "float64", "位置左", "the cell's box on its page, in PDF points from the page's top-left corner: "
          "left edge (PDF text layer and OCR); NaN for formats without pages"),
    Field("box_top", "float64", "位置上", "the box's top edge (points from the page top); NaN without pages"),
    Field("box_x1", "float64", "位置右", "the box's right edge; NaN without pages"),
    Field("box_bottom", "float64", "位置下", "the box's bottom edge; NaN without pages"),
    Field("address", "string", "单元格地址", "the cell's address in a workbook (`Sheet1!B7`); null for other formats"),
)

CELLS = Output("cells", "one row per value a report prints in its tables", (
    REPORT_ID, AGENCY, YEAR, TEMPLATE, TABLE, ROW, COLUMN,
    VALUE, FLAG,
    Field("row_label", "category", "行名称", "official Chinese label of the row (as printed for `unmapped` "
          "and for `legacy`, whose indicators have no official wording; for a `prose` value, what it counts)"),
    Field("column_label", "category", "列名称", "official Chinese label of the column (as printed for `unmapped`)"),
    Field("printed", "string", "原文", "the cell's text as printed (for a `prose` value, its "
          "sentence); null for a missing cell"),
    Field("source", "string", "数值来源", "where the value came from: file, page, table and cell"),
    *PROVENANCE,
    Field("correction", "string", "更正说明", "for a value of RAW_DIR/corrections.csv (`flag` `corrected`): "
          "the reason, who and when; `printed` keeps the text the report printed; null otherwise"),
))

CHECKS = Output("checks", "one row per rule evaluated on a report, or across reports (docs/CHECKS.md)", (
    replace(REPORT_ID, description="the report checked", built=True),
    Field("rule", "category", "规则", "rule id, e.g. `requests.balance` (docs/CHECKS.md)"),
    Field("severity", "category", "严重程度", "how much a failure matters: an `error` makes `Report.ok` false",
           values=Severity),
    Field("passed", "bool", "是否通过", "whether the rule holds"),
    replace(TABLE, description="the table checked; `''` when the rule is about the whole report"),
    replace(ROW, description="the row checked; `''` when the rule is not about one row"),
    replace(COLUMN, description="the column checked; `''` when the rule is not about one column"),
    Field("expected", "float64", "应为", "the number the rule expects (e.g. the sum of the parts); NaN if none"),
    Field("found", "float64", "实为", "the number the report prints (or the count found); NaN if none"),
    Field("message", "string", "说明", "what failed, in English; `''` when the rule holds"),
    Field("related_report_id", "category", "相关报告编号",
           "the other report of a cross-report rule; null for a report's own rules", built=True),
))

SYNTHETIC = Field("synthetic", "bool", "合成数据", "a generated sample (below a `.synthetic` marker), not real data")
# the report's agency in the register (govstats/schema/data/agencies.csv), resolved by the build
RESOLVED_AGENCY = (
    Field("agency_id", "string", "机关编号", "the agency's id in the register (the panel's key); null when no "
          "override, manifest entry, printed name or site names a register agency (a warning check)", built=True),
    Field("agency_name", "string", "机关规范名称", "the register's canonical name; null when unresolved", built=True),
    Field("agency_level", "string", "机关层级", "administrative level; null when unresolved", values=Level,
          built=True),
    Field("agency_parent", "string", "上级政府编号", "agency_id of the government above it (or owning the "
          "department); null for a province or when unresolved", built=True),
    Field("division_code", "string", "行政区划代码", "6-digit GB/T 2260 code of the government it belongs to "
          "(from the cpca code table); null when unresolved", built=True),
    Field("agency_source", "string", "机关来源", "what named the agency; null when unresolved",
          values=AgencySource, built=True),
    Field("agency_note", "string", "机关说明", "why it resolved, or why not (`govstats agencies` shows it)",
          built=True),
    Field("overrides", "string", "人工更正", "the RAW_DIR/overrides.csv rows applied (field=value (reason); …); "
          "null when none", built=True),
)

REPORTS = Output("reports", "one row per source file below the raw directory, read or not", (
    replace(REPORT_ID, dtype="string"), replace(AGENCY, dtype="string"), *RESOLVED_AGENCY, YEAR,
    replace(TEMPLATE, dtype="string"),
    Field("format", "string", "格式", "the format sniffed from the content (html, pdf, docx, …)"),
    Field("path", "string", "文件路径", "the file's path below the raw directory"),
    Field("sha256", "string", "SHA-256", "SHA-256 of the file's content"),
    Field("bytes", "int64", "字节数", "the file's size"),
    Field("pages", "int64", "页数", "pages of a paged format (PDF, Word); null otherwise"),
    Field("seconds", "float64", "读取耗时（秒）", "time taken to read the file"),
    Field("status", "string", "状态", "what the build did with the file", values=Status),
    Field("error", "string", "错误", "why the file could not be read, or why no value was read "
          "(`no_tables`: pre-2019 layout or tables not found); null when `ok`"),
    Field("values_read", "int64", "读出数值数", "table values read (not NaN); null when the file was not read"),
    Field("errors_failed", "int64", "未通过错误检查数", "the report's own checks of severity `error` that failed; "
          "null when the file was not read"),
    SYNTHETIC,
    Field("url", "string", "网址", "where the file was fetched from (manifest.csv); null if unknown"),
    Field("title", "string", "标题", "the title of the page linking it (manifest.csv); null if unknown"),
))

PANEL = Output("panel", "one row per agency, year, table, row and column: the value of the one report chosen for "
               "that agency-year (reports with `ok` status and agency and year; unmapped rows and columns left out)", (
    Field("agency_id", "category", "机关编号", "the agency-year's agency: the register's canonical id "
          "(reports.agency_id), or, for a report the register does not resolve, its printed name @ the host it "
          "came from (`checks.choice.keyed`)"),
    YEAR, TABLE, ROW, COLUMN, VALUE, FLAG,
    replace(REPORT_ID, description="the chosen report (reports.parquet)"),
    replace(AGENCY, description="the agency's name: the register's canonical name, the same in every year "
            "whatever each report prints (reports.agency has the printed one), or the agency_id when unresolved"),
    TEMPLATE,
    Field("chosen_because", "string", "选用理由", "why this report was chosen over its alternates, with the rule: "
          "most values read, fewest failed error checks, then format preference and path"),
    Field("alternates", "string", "其他版本", "the other reports of this agency-year (space-separated report ids; "
          "`''` when none): `dataset.alternate_disagrees` compares their values"),
    SYNTHETIC,
))

OUTPUTS = (CELLS, CHECKS, REPORTS, PANEL)
HEADERS = {f.name: f.header for o in OUTPUTS for f in o.fields}  # one header per column name


@functools.cache
def _arrow(output: Output, plain: bool) -> pa.Schema:
    """Arrow schema whose pandas metadata gives back category and nullable Int64 columns."""
    import pyarrow as pa

    types = {"category": pa.string() if plain else pa.dictionary(pa.int32(), pa.string()), "string": pa.string(),
             "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([(f.name, types[f.dtype]) for f in output.fields])
    if plain:
        return schema
    import pandas as pd

    examples = {"category": pd.Categorical(["x"]), "int64": pd.array([1], "Int64"), "float64": [1.0], "bool": [True]}
    example = pd.DataFrame({f.name: examples.get(f.dtype, ["x"]) for f in output.fields})
    return schema.with_metadata(pa.Schema.from_pandas(example, preserve_index=False).metadata)


# ------------------------------------------------------------------ docs/SCHEMA.md
BEGIN = "<!-- BEGIN output fields: generated by `python -m govstats.schema.outputs`, do not edit -->"
END = "<!-- END output fields -->"
SCHEMA_MD = Path(__file__).resolve().parents[2] / "docs" / "SCHEMA.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    """The field tables of every output, as Markdown."""
    parts = []
    for output in OUTPUTS:
        parts += [f"### `{output.name}` — {output.description}", "",
                  "| column | type | header | meaning |", "| --- | --- | --- | --- |"]
        for f in output.fields:
            meaning = f.description
            if f.values is not None:
                meaning += " (" + ", ".join(f"`{v.value}`" if v.value else "`''`" for v in f.values) + ")"
            if f.built:
                meaning += "; added by `build`"
            parts.append(f"| `{f.name}` | {DTYPES[f.dtype][1]} | {f.header} | {_cell(meaning)} |")
        parts.append("")
    return "\n".join(parts)


LEGACY_BEGIN = "<!-- BEGIN legacy table: generated by `python -m govstats.schema.outputs`, do not edit -->"
LEGACY_END = "<!-- END legacy table -->"


def legacy_markdown() -> str:
    """The legacy table's columns, rows (key, label, unit, the row it is part of) and crosswalk, as Markdown."""
    measures = {c.legacy: c.measure for c in legacy_crosswalk()}
    lines = ["Columns:", "", "| key | label |", "| --- | --- |"]
    lines += [f"| `{c.key}` | {c.label} |" for c in LEGACY_COLUMNS]
    lines += ["", "Rows (`label`: one common printed form; each value's `row_label` is the label as printed):", "",
              "| key | label | unit | part of | harmonised measure |", "| --- | --- | --- | --- | --- |"]
    for r in LEGACY_ROWS + LEGACY_PROSE_ROWS:
        part = f"`{r.group}`" if r.group else ("(stated in prose only)" if r in LEGACY_PROSE_ROWS else "")
        measure = f"`{measures[r.key]}`" if measures.get(r.key) else "—"
        lines.append(f"| `{r.key}` | {r.label} | {r.unit} | {part} | {measure} |")
    return "\n".join(lines) + "\n"


def _replace(document: str, begin: str, end: str, body: str, *, required: bool) -> str:
    head, found_begin, rest = document.partition(begin)
    _old, found_end, tail = rest.partition(end)
    if not found_begin or not found_end:
        if required:
            raise ValueError(f"the document lacks the markers {begin!r} … {end!r}")
        return document
    return f"{head}{begin}\n\n{body}\n{end}{tail}"


def with_fields(document: str) -> str:
    """`document` with its generated sections (output fields; the legacy table, where marked) rewritten."""
    document = _replace(document, BEGIN, END, markdown(), required=True)
    return _replace(document, LEGACY_BEGIN, LEGACY_END, legacy_markdown(), required=False)


def main(argv: list[str]) -> int:
    """Rewrite the generated section of docs/SCHEMA.md (or of the file named)."""
    path = Path(argv[0]) if argv else SCHEMA_MD
    path.write_text(with_fields(path.read_text("utf-8")), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

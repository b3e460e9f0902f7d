"""Excel and CSV export: every number read back equals the dataset's, web text never becomes a formula.

The dataset is built with `govstats build` from the generated sample (five agencies,
2019–2024, one agency-year published twice, one broken carry-over) plus real corpus
excerpts (a legacy report, one without an agency name, one with missing rows).
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from helpers import CORPUS

import govstats
from govstats import cli, schema
from govstats.analysis import labels as analysis_labels
from govstats.analysis import measures as analysis
from govstats.dataset import Dataset
from govstats.export import export_csv, export_excel
from govstats.export import labels as export_labels
from govstats.export.xlsx import display_width, sheet_title
from govstats.schema import outputs
from govstats.testing.sample import write_sample

S = export_labels.EXPORT_SHEETS
H = export_labels.EXPORT_HEADERS
C = {**outputs.HEADERS, **export_labels.PEER_COLUMNS}
EVIL = '=HYPERLINK("http://x","y")'
REAL = ["gongshu-shenguanban-2022.txt", "excerpts/001.txt", "excerpts/008.txt", "excerpts/017.txt"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Dataset]:
    root = tmp_path_factory.mktemp("export")
    raw = root / "raw"
    write_sample(raw / "synthetic")
    for name in REAL:
        (raw / "corpus" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / name, raw / "corpus" / name)
    govstats.build(raw, root / "processed", progress=False, jobs=2)
    return root / "processed", govstats.load(root / "processed")


@pytest.fixture(scope="module")
def workbook(built, tmp_path_factory) -> Path:
    processed, dataset = built
    return export_excel(dataset, tmp_path_factory.mktemp("xlsx") / "out.xlsx", per_report=True, directory=processed)


def sheet(path: Path, key: str) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=S[key])


def same(a, b) -> None:
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=0, atol=1e-12)


def text(value) -> str | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) or value == "" else str(value)


# ------------------------------------------------------------------ round trip
def test_tidy_cells_come_back_exactly(built, workbook):
    cells = built[1].cells.reset_index(drop=True)
    back = sheet(workbook, "cells")
    assert len(back) == len(cells) > 1000
    same(back[C["value"]], cells["value"])
    same(back[C["year"]], cells["year"].astype(float))
    ws = openpyxl.load_workbook(workbook, read_only=True)[S["cells"]]
    columns = list(zip(*ws.iter_rows(min_row=2, values_only=True)))
    for key in ("report_id", "agency", "table", "row", "column", "flag", "row_label", "column_label", "printed",
                "source"):
        k = list(cells.columns).index(key)
        assert [text(v) for v in columns[k]] == [text(v) for v in cells[key].astype(object)], key


def test_summary_sheets_equal_the_analysis(built, workbook):
    cells = built[1].panel  # one report per agency-year, under the register's name of the agency
    received = analysis.pivot(analysis.metrics(cells, by="agency_year"), "received")
    back = sheet(workbook, "received").set_index(C["agency"])
    for year in received.columns:
        same(back.loc[received.index, H["year_count"].format(year=year)], received[year])

    back = sheet(workbook, "outcomes").set_index([C["agency"], C["year"]])
    groups = analysis.outcomes(cells, by="agency_year").set_index(["agency", "year"])
    for _metric, part in groups.groupby("metric", sort=False):
        label = part["label"].iloc[0]
        same(back.loc[part.index, H["count"].format(label=label)], part["numerator"])
        same(back.loc[part.index, H["share"].format(label=label)], part["value"])
    same(back.loc[part.index, H["count"].format(label=analysis_labels.METRIC_LABELS["processed"])], part["denominator"])
    for group in analysis.REASON_GROUPS:
        reasons = analysis.reasons(cells, group, by="agency_year").set_index(["agency", "year"])
        names = {"group": schema.OUTCOME_GROUPS[group][0]}
        for _metric, part in reasons.groupby("metric", sort=False):
            names["reason"] = part["label"].iloc[0]
            same(back.loc[part.index, H["reason_count"].format(**names)], part["numerator"])
            same(back.loc[part.index, H["reason_share"].format(**names)], part["value"])

    back = sheet(workbook, "review").set_index([C["agency"], C["year"]])
    metrics = analysis.metrics(cells, by="agency_year").set_index(["agency", "year"])
    for rate in ("review_correction_rate", "litigation_correction_rate", "correction_rate"):
        part = metrics[metrics["metric"] == rate]
        same(back.loc[part.index, analysis_labels.METRIC_LABELS[rate]], part["value"])
    assert back[analysis_labels.METRIC_LABELS["correction_rate"]].notna().sum() > 20


def test_agency_year_sheets_hold_the_chosen_reports_numbers(built, workbook):
    cells = built[1].cells.astype({"report_id": object, "table": object, "row": object, "column": object})
    value = {(r, t, w, c): v for r, t, w, c, v in cells[["report_id", "table", "row", "column", "value"]].itertuples(
        index=False)}
    checked = 0
    for key, table in (("review", "review"), ("active", "active")):
        back = sheet(workbook, key)
        for header in back.columns:
            match = [(r, c) for r in schema.ROW_ORDER[table] for c in schema.COLUMN_ORDER[table]
                     if header.startswith(_term_header(table, r, c))]
            for (row, col) in match[:1]:
                for rid, got in zip(back[C["report_id"]], back[header]):
                    want = value.get((rid, table, row, col), np.nan)
                    assert got == want or (np.isnan(got) and np.isnan(want)), (header, rid)
                    checked += 1
    assert checked > 500
    chosen = analysis.one_per_agency_year(cells, built[1].reports)  # the panel's choice needs the reports
    assert sorted(sheet(workbook, "review")[C["report_id"]]) == sorted(chosen["report_id"].unique())


def _term_header(table: str, row: str, column: str) -> str:
    if table == "review":
        return H["review_count"].format(row=schema.row_label("review", "2021", row),
                                        column=schema.column_label("review", "2021", column))
    rows = {r.key: r.label.rpartition(" ")[2] for t in ("2019", "2021") for r in schema.ACTIVE_ROWS[t]}
    cols = {c.key: c.label for t in ("2019", "2021") for c in schema.ACTIVE_COLUMNS[t]}
    return H["active"].format(row=rows[row], column=cols[column])


def test_checks_and_reports_sheets(built, workbook):
    _processed, dataset = built
    failed = dataset.checks[~dataset.checks["passed"]].reset_index(drop=True)
    back = sheet(workbook, "checks")
    assert len(back) == len(failed) > 0
    assert list(back[C["rule"]]) == list(failed["rule"].astype(str))
    same(back[C["expected"]], failed["expected"])
    same(back[C["found"]], failed["found"])
    assert {"dataset.carried_over", "dataset.same_agency_year"} <= set(back[C["rule"]])
    reports = sheet(workbook, "reports")
    assert list(reports[C["sha256"]]) == list(dataset.reports["sha256"])
    assert list(reports[C["path"]]) == list(dataset.reports["path"])
    assert list(reports[C["status"]]) == list(dataset.reports["status"])
    same(reports[C["bytes"]], dataset.reports["bytes"].astype(float))


def test_per_report_sheets_hold_every_number_as_printed(built, workbook):
    dataset = built[1]
    wb = openpyxl.load_workbook(workbook)
    laid_out = wb.sheetnames[len(S):]
    read = dataset.reports[dataset.reports["status"] == "ok"]  # the sample's README.md is read, and no report
    official = read[read["template"] != "legacy"]
    assert len(laid_out) == len(official)  # legacy reports have no official tables
    for ws in wb.worksheets[len(S):]:
        rid = re.search(r"[0-9a-f]{16}$", ws["A2"].value).group(0)
        values = dataset.cells.loc[dataset.cells["report_id"] == rid, "value"]
        numbers = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))]
        assert sorted(numbers) == sorted(values.dropna()), ws.title
    ws = wb[next(t for t in laid_out if "东海省人民政府" in t)]
    merged = {str(r) for r in ws.merged_cells.ranges}
    header = next(c for row in ws.iter_rows() for c in row if c.value == "申请人情况")
    assert f"{header.coordinate}:{openpyxl.utils.get_column_letter(header.column + 6)}{header.row}" in merged
    total = next(c for row in ws.iter_rows() for c in row if c.value == "（七）总计")
    rid = re.search(r"[0-9a-f]{16}$", ws["A2"].value).group(0)
    cells = dataset.cells[(dataset.cells["report_id"] == rid) & (dataset.cells["table"] == "requests")
                          & (dataset.cells["row"] == "total_processed")].set_index("column")["value"]
    row = [c.value for c in ws[total.row]][3:10]
    assert row == [cells[c.key] for c in schema.REQUEST_COLUMNS]


def test_formatting_for_researchers(built, workbook):
    wb = openpyxl.load_workbook(workbook)
    assert wb.sheetnames[: len(S)] == list(S.values())
    ws = wb[S["outcomes"]]
    head = [c.value for c in ws[1]]
    assert ws.freeze_panes == "E2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(head))}{ws.max_row}"
    count = head.index(H["count"].format(label="予以公开")) + 1
    share = head.index(H["share"].format(label="予以公开")) + 1
    assert ws.cell(2, count).number_format == "#,##0" and ws.cell(2, share).number_format == "0.0%"
    assert ws.cell(1, 1).font.bold
    ws = wb[S["active"]]
    head = [c.value for c in ws[1]]
    fees = head.index("行政事业性收费：本年收费金额（单位：万元）") + 1
    assert any(ws.cell(r, fees).number_format == "#,##0.0" for r in range(2, ws.max_row + 1))
    assert any("（元）" in h for h in head)
    ws = wb[S["cells"]]
    agencies = built[1].cells["agency"].dropna().astype(str)
    assert ws.column_dimensions["B"].width >= max(map(display_width, agencies))
    assert ws.freeze_panes == "C2"
    readme = dict(zip(sheet(workbook, "readme")[H["item"]], sheet(workbook, "readme")[H["text"]]))
    assert readme[export_labels.EXPORT_README["synthetic"]].startswith(str(int(built[1].reports["synthetic"].sum())))
    assert readme[export_labels.EXPORT_README["filters"]] == export_labels.EXPORT_README["no_filters"]
    assert str(built[0]) in readme[export_labels.EXPORT_README["source"]]
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d", readme[export_labels.EXPORT_README["built"]])


def test_display_width_and_sheet_titles():
    assert display_width("淮安市") == 6 and display_width("ab（一）") == 8
    taken: set[str] = set()
    titles = [sheet_title(n, taken) for n in ["a/b:c*d?[e]\\f", "x" * 40, "x" * 40, "'说明'", "History"]]
    assert titles[0] == "a_b_c_d__e__f"
    assert all(len(t) <= 31 for t in titles) and len({t.lower() for t in titles}) == len(titles)
    assert titles[1] != titles[2] and titles[3] == "说明" and titles[4] != "History"


# ------------------------------------------------------------------ web text stays text
@pytest.fixture(scope="module")
def hostile(built) -> Dataset:
    """The sample with one agency renamed to a formula and some printed texts that look like formulas."""
    dataset = built[1]
    old = "临江市青山区翠湖街道办事处"
    cells = dataset.cells.assign(agency=dataset.cells["agency"].astype(object).replace(old, EVIL))
    printed = cells["printed"].astype(object).copy()
    for i, bad in enumerate(["=1+2", "@SUM(A1)", "+cmd|' /C calc'!A0", "\t=x", "#N/A", "-3"]):
        printed.iloc[i] = bad
    reports = dataset.reports.assign(agency=dataset.reports["agency"].replace(old, EVIL))
    return Dataset(cells.assign(printed=printed), reports, dataset.checks)


def test_formula_like_text_stays_text_in_the_workbook(hostile, tmp_path):
    path = export_excel(hostile, tmp_path / "evil.xlsx", per_report=True)
    wb = openpyxl.load_workbook(path)
    risky = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and (c.value.startswith(EVIL) or c.value in ("=1+2", "@SUM(A1)", "#N/A"))]
    sheets = {c.parent.title for c in risky}
    assert {S["received"], S["outcomes"], S["cells"], S["reports"]} <= sheets
    assert any(t.startswith("2019 =HYPERLINK(") and len(t) <= 31 for t in wb.sheetnames)
    for cell in risky:
        assert cell.data_type == "s", (cell.parent.title, cell.coordinate)
    assert all(c.quotePrefix for c in risky)
    assert any(c.value == EVIL for c in risky)
    printed = [r[11] for r in wb[S["cells"]].iter_rows(min_row=2, max_row=7, values_only=True)]
    assert printed == ["=1+2", "@SUM(A1)", "+cmd|' /C calc'!A0", "\t=x", "#N/A", "-3"]
    back = pd.read_excel(path, sheet_name=S["reports"])
    assert EVIL in set(back[C["agency"]])


def test_formula_like_text_stays_a_plain_string_in_csv(hostile, tmp_path):
    export_csv(hostile, tmp_path)
    with open(tmp_path / f"{S['reports']}.csv", encoding="utf-8-sig", newline="") as fh:
        agencies = {row[C["agency"]] for row in csv.DictReader(fh)}
    assert "'" + EVIL in agencies and EVIL not in agencies
    cells = pd.read_csv(tmp_path / f"{S['cells']}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(cells[C["printed"]][:6]) == ["'=1+2", "'@SUM(A1)", "'+cmd|' /C calc'!A0", "'\t=x", "#N/A", "-3"]


def test_csv_files_are_the_workbook_tables(built, workbook, tmp_path):
    processed, dataset = built
    paths = export_csv(dataset, tmp_path, source=processed)
    assert [p.stem for p in paths] == list(S.values())
    for key in S:
        raw = (tmp_path / f"{S[key]}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and "机关".encode() in raw or key == "readme"
        back = pd.read_csv(tmp_path / f"{S[key]}.csv", encoding="utf-8-sig")
        book = sheet(workbook, key)
        assert list(back.columns) == list(book.columns)
        for name in book.columns:
            if pd.api.types.is_numeric_dtype(book[name]) and key != "readme":
                same(back[name], book[name])


# ------------------------------------------------------------------ filters and the command
def test_filters_choose_reports_and_are_stated(built, tmp_path):
    processed, dataset = built
    path = export_excel(dataset, tmp_path / "f.xlsx", agency=["临江市"], year=[2021, 2022], directory=processed)
    reports = sheet(path, "reports")
    assert set(reports[C["year"]]) == {2021, 2022} and reports[C["agency"]].str.contains("临江市").all()
    assert set(sheet(path, "cells")[C["report_id"]]) == set(reports[C["report_id"]])
    readme = dict(zip(sheet(path, "readme")[H["item"]], sheet(path, "readme")[H["text"]]))
    assert "临江市" in readme[export_labels.EXPORT_README["filters"]] and "2021" in readme[export_labels.EXPORT_README["filters"]]
    path = export_excel(dataset, tmp_path / "r.xlsx", region=["东海省"])
    assert set(sheet(path, "received")[C["agency"]]) == {"东海省人民政府", "东海省交通运输厅"}
    path = export_excel(dataset, tmp_path / "none.xlsx", agency=["不存在的机关"], per_report=True)
    assert openpyxl.load_workbook(path).sheetnames == list(S.values())
    assert sheet(path, "cells").empty and list(sheet(path, "cells").columns)[:2] == [C["report_id"], C["agency"]]


def test_command_writes_workbook_and_csv(built, tmp_path, capsys):
    processed, _dataset = built
    out, csv_dir = tmp_path / "summary.xlsx", tmp_path / "csv"
    assert cli.main(["export", str(out), str(processed), "--year", "2021-2022", "--region", "东海",
                     "--per-report", "--csv", str(csv_dir)]) == 0
    assert set(sheet(out, "reports")[C["year"]]) == {2021, 2022}
    assert len(openpyxl.load_workbook(out, read_only=True).sheetnames) > len(S)
    assert len(list(csv_dir.glob("*.csv"))) == len(S)
    assert cli.main(["export", str(out), str(tmp_path / "nothing")]) == 2
    assert "govstats build" in capsys.readouterr().err

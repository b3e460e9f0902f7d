"""govstats.analysis and govstats.agencies against small tidy frames with hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from govstats import schema
from govstats.analysis import agencies, labels
from govstats.analysis import measures as analysis
from govstats.report import CELL_COLUMNS

# ---------------------------------------------------------------- hand-made reports
ZERO_REQUESTS = {r.key: 0.0 for r in schema.REQUEST_ROWS}
ZERO_REVIEW = {(r.key, c.key): 0.0 for r in schema.REVIEW_ROWS for c in schema.REVIEW_COLUMNS}


def report(report_id: str, agency: str | None, year: int, template: str, requests: dict[str, float],
           review: dict[tuple[str, str], float] | None = None,
           applicants: dict[str, float] | None = None) -> pd.DataFrame:
    """Tidy cells of one report: `requests` by row (the 总计 column), applicant columns of 本年新收, review."""
    other = ("other_no_correction", "other_no_fee", "other_other") if template == "2021" else ("other",)
    skip = {"other", *schema.OTHER_SUBROWS} - set(other)
    records = [("requests", row, "total", v) for row, v in {**ZERO_REQUESTS, **requests}.items() if row not in skip]
    records += [("requests", "new_received", col, v) for col, v in (applicants or {}).items()]
    if review is not None:
        records += [("review", row, col, v) for (row, col), v in {**ZERO_REVIEW, **review}.items()]
    df = pd.DataFrame(records, columns=["table", "row", "column", "value"])
    df = df.assign(report_id=report_id, agency=agency, year=year, template=template, flag="", row_label="",
                   column_label="", printed="", source=f"{report_id}.txt")
    return df.reindex(columns=CELL_COLUMNS).astype({"value": float, "year": "Int64"})  # provenance: null


# 甲市 2019 (template 2019, one 其他处理 row). Outcomes 40+10+5+20+10+5 = 90; 100+10 = 90+20.
A = report(
    "a", "甲市", 2019, "2019",
    {"new_received": 100, "carried_over": 10, "granted": 40, "partially_granted": 10, "denied_state_secret": 2,
     "denied_process_info": 3, "unavailable_not_held": 15, "unavailable_needs_creation": 5, "rejected_petition": 4,
     "rejected_duplicate": 6, "other": 5, "total_processed": 90, "carried_forward": 20},
    {("admin_review", "upheld"): 3, ("admin_review", "corrected"): 1, ("admin_review", "pending"): 2,
     ("admin_review", "total"): 6, ("litigation_direct", "upheld"): 1, ("litigation_direct", "other"): 1,
     ("litigation_direct", "total"): 2, ("litigation_after_review", "corrected"): 1,
     ("litigation_after_review", "pending"): 1, ("litigation_after_review", "total"): 2},
    {"natural_person": 80, "commercial_enterprise": 20, "research_institution": 0, "social_welfare_org": 0,
     "legal_service_org": 0, "other_org": 0},
)
# 甲市 2021 (template 2021, three 其他处理 sub-rows 2+1+3). 30+4+6 = 40; 50+20 = 40+30. No review cases.
B_REQUESTS = {"new_received": 50, "carried_over": 20, "granted": 30, "unavailable_not_held": 4,
              "other_no_correction": 2, "other_no_fee": 1, "other_other": 3, "total_processed": 40,
              "carried_forward": 30}
B = report("b", "甲市", 2021, "2021", B_REQUESTS, {}, {"natural_person": 50})
# The same 甲市 2021 report read from another format, without its review table.
B2 = report("b2", "甲市", 2021, "2021", B_REQUESTS)
# 乙县 2021: nothing received, nothing processed.
C = report("c", "乙县", 2021, "2021", {}, {})
# 乙县 2022: 予以公开 unreadable (NaN), the rest there.
E = report("e", "乙县", 2022, "2021", {"new_received": 8, "granted": math.nan, "partially_granted": 2,
                                        "total_processed": 8}, {})
# A report whose agency was not found.
U = report("u", None, 2022, "2021", {"new_received": 1, "granted": 1, "total_processed": 1}, {})
CELLS = pd.concat([A, B, B2, C, E, U], ignore_index=True)


def value(frame: pd.DataFrame, unit: str, metric: str, field: str = "value") -> float:
    col = "report_id" if "report_id" in frame.columns else "agency"
    hit = frame[(frame[col] == unit) & (frame["metric"] == metric)]
    assert len(hit) == 1, (unit, metric, hit)
    return float(hit[field].iloc[0])


# ---------------------------------------------------------------- metrics
EXPECTED_A = {  # metric: (value, numerator, denominator); None = NaN
    "received": (100, 100, None),
    "carried_over": (10, 10, None),
    "processed": (90, 90, None),
    "carried_forward": (20, 20, None),
    "granted": (40, 40, None),
    "partially_granted": (10, 10, None),
    "denied": (5, 5, None),
    "unavailable": (20, 20, None),
    "rejected": (10, 10, None),
    "other": (5, 5, None),
    "disclosure_rate": (50 / 90, 50, 90),
    "grant_rate": (40 / 90, 40, 90),
    "denial_rate": (5 / 90, 5, 90),
    "not_held_rate": (15 / 90, 15, 90),
    "unavailable_rate": (20 / 90, 20, 90),
    "rejection_rate": (10 / 90, 10, 90),
    "other_rate": (5 / 90, 5, 90),
    "backlog_rate": (20 / 110, 20, 110),
    "share_natural_person": (0.8, 80, 100),
    "share_commercial_enterprise": (0.2, 20, 100),
    "share_research_institution": (0.0, 0, 100),
    "share_social_welfare_org": (0.0, 0, 100),
    "share_legal_service_org": (0.0, 0, 100),
    "share_other_org": (0.0, 0, 100),
    "review_cases": (6, 6, None),
    "review_pending": (2, 2, None),
    "review_correction_rate": (1 / 4, 1, 4),  # corrected / (upheld 3 + corrected 1 + other 0)
    "litigation_cases": (4, 4, None),
    "litigation_pending": (1, 1, None),
    "litigation_correction_rate": (1 / 3, 1, 3),  # (0+1) / ((1+0+1) + (0+1+0))
    "correction_rate": (2 / 7, 2, 7),
}


def same(got: float, expected: float | None) -> bool:
    return math.isnan(got) if expected is None else got == pytest.approx(expected)


def test_every_metric_has_a_label_and_a_hand_computed_case():
    assert set(EXPECTED_A) == set(analysis.METRICS)
    assert set(analysis.METRICS) <= set(labels.METRIC_LABELS)


@pytest.mark.parametrize("metric", list(EXPECTED_A))
def test_metric_values_numerators_denominators(metric):
    m = analysis.metrics(CELLS)
    expected = EXPECTED_A[metric]
    for field, want in zip(("value", "numerator", "denominator"), expected):
        assert same(value(m, "a", metric, field), want), (metric, field)
    assert m.loc[m["metric"] == metric, "label"].iloc[0] == labels.METRIC_LABELS[metric]


def test_result_columns_and_order():
    m = analysis.metrics(CELLS)
    assert list(m.columns) == ["report_id", "agency", "year", "template", "metric", "label", "value", "numerator",
                               "denominator"]
    assert list(m[m["report_id"] == "a"]["metric"]) == list(analysis.METRICS)
    assert len(m) == 6 * len(analysis.METRICS)


def test_zero_denominators_give_nan_never_zero_or_inf():
    m = analysis.metrics(CELLS)
    rates = m[(m["report_id"] == "c") & m["denominator"].notna()]
    assert len(rates) > 10 and (rates["denominator"] == 0).all()
    assert rates["value"].isna().all()
    assert not np.isinf(m["value"].dropna()).any()
    # 甲市 2021 has no review cases: correction rates NaN, case counts 0.
    assert math.isnan(value(m, "b", "review_correction_rate")) and value(m, "b", "review_cases") == 0
    assert math.isnan(value(m, "b", "correction_rate")) and value(m, "b", "correction_rate", "denominator") == 0


def test_missing_number_propagates_as_nan():
    m = analysis.metrics(CELLS)
    assert math.isnan(value(m, "e", "disclosure_rate")) and math.isnan(value(m, "e", "disclosure_rate", "numerator"))
    assert value(m, "e", "disclosure_rate", "denominator") == 8
    assert value(m, "e", "partially_granted") == 2
    # B2 has no review table at all: review metrics NaN, not 0.
    assert math.isnan(value(m, "b2", "review_cases"))


# ---------------------------------------------------------------- harmonised 其他处理
def test_harmonised_requests_rolls_other_rows_up():
    h = analysis.harmonised_requests(CELLS)
    assert not h["row"].isin(schema.OTHER_SUBROWS).any()
    other = h[(h["row"] == "other") & (h["column"] == "total")].set_index("report_id")["value"]
    assert other["a"] == 5 and other["b"] == 6
    assert set(h.loc[h["row"] == "other", "row_label"]) == {"其他处理"}
    rows_b = list(h.loc[(h["report_id"] == "b") & (h["column"] == "total"), "row"])
    assert rows_b == [r.key for r in schema.REQUEST_ROWS if r.key not in schema.OTHER_SUBROWS]


def test_harmonised_drops_a_group_header_printed_above_sub_rows():
    header = B.iloc[:1].assign(row="other", value=math.nan)
    h = analysis.harmonised_requests(pd.concat([B, header]))
    assert h.loc[(h["row"] == "other") & (h["column"] == "total"), "value"].tolist() == [6]


def test_nan_in_one_sub_row_makes_the_group_nan():
    cells = B.copy()
    cells.loc[cells["row"] == "other_no_fee", "value"] = math.nan
    h = analysis.harmonised_requests(cells)
    assert h.loc[(h["row"] == "other") & (h["column"] == "total"), "value"].isna().all()


def test_mixed_templates_form_one_series():
    m = analysis.metrics(CELLS, by="agency_year")
    jia = m[(m["agency"] == "甲市") & (m["metric"] == "other_rate")].set_index("year")
    assert jia["numerator"].tolist() == [5, 6]
    assert jia["value"].tolist() == pytest.approx([5 / 90, 6 / 40])
    assert analysis.pivot(m, "other").loc["甲市"].dropna().tolist() == [5, 6]


# ---------------------------------------------------------------- units
def test_agency_year_keeps_the_most_complete_report_and_drops_unplaced_ones():
    kept = analysis.one_per_agency_year(CELLS)
    assert sorted(kept["report_id"].unique()) == ["a", "b", "c", "e"]
    m = analysis.metrics(CELLS, by="agency_year")
    assert list(m.columns[:2]) == ["agency", "year"]
    assert value(m[m["year"] == 2021], "甲市", "review_cases") == 0  # from b, not b2
    assert m["agency"].notna().all()
    assert "u" in set(analysis.metrics(CELLS)["report_id"])  # kept per report


def test_categorical_columns_as_the_dataset_stores_them():
    cats = CELLS.astype({c: "category" for c in ["report_id", "agency", "template", "table", "row", "column"]})
    for by in ("report", "agency_year"):
        got, want = analysis.metrics(cats, by=by), analysis.metrics(CELLS, by=by)
        assert got["agency"].fillna("-").tolist() == want["agency"].fillna("-").tolist()
        pd.testing.assert_frame_equal(got.drop(columns="agency"), want.drop(columns="agency"), check_dtype=False)


def test_bad_unit_is_refused():
    with pytest.raises(ValueError, match="by must be"):
        analysis.metrics(CELLS, by="agency")  # type: ignore[arg-type]


def test_empty_cells_give_empty_frame():
    m = analysis.metrics(CELLS.iloc[:0])
    assert m.empty and "metric" in m.columns


# ---------------------------------------------------------------- composition and reasons
def test_outcome_composition():
    o = analysis.outcomes(CELLS)
    a = o[o["report_id"] == "a"].set_index("metric")
    assert list(a.index) == list(schema.OUTCOME_GROUPS)
    assert a["numerator"].tolist() == [40, 10, 5, 20, 10, 5]
    assert (a["denominator"] == 90).all()
    assert a["value"].sum() == pytest.approx(1.0)
    assert a["label"].tolist() == [label for label, _rows in schema.OUTCOME_GROUPS.values()]
    assert o[o["report_id"] == "c"]["value"].isna().all()


def test_outcome_composition_of_one_applicant_column():
    o = analysis.outcomes(CELLS, column="natural_person")
    # Only 本年新收 has applicant columns in these frames: the outcomes are missing, hence NaN.
    assert o[o["report_id"] == "a"]["value"].isna().all()


@pytest.mark.parametrize("group, n", [("denied", 8), ("unavailable", 3), ("rejected", 5)])
def test_reasons(group, n):
    r = analysis.reasons(CELLS, group)
    a = r[r["report_id"] == "a"].set_index("metric")
    assert len(a) == n and set(a.index) == set(analysis.GROUPS[group])
    expected = {"denied": {"denied_state_secret": (2, 5), "denied_process_info": (3, 5)},
                "unavailable": {"unavailable_not_held": (15, 20), "unavailable_needs_creation": (5, 20)},
                "rejected": {"rejected_petition": (4, 10), "rejected_duplicate": (6, 10)}}[group]
    for row, (num, den) in expected.items():
        assert a.loc[row, "value"] == pytest.approx(num / den)
    assert a["value"].sum() == pytest.approx(1.0)
    assert r[r["report_id"] == "c"]["value"].isna().all()  # 0 of 0


def test_reason_labels_are_the_reasons_own_words():
    assert analysis.reason_label("denied_state_secret") == "属于国家秘密"
    assert analysis.reason_label("unavailable_not_held") == "本机关不掌握相关政府信息"
    assert analysis.reason_label("rejected_duplicate") == "重复申请"
    with pytest.raises(ValueError):
        analysis.reasons(CELLS, "granted")


# ---------------------------------------------------------------- comparisons
def frame(rows: list[tuple[str, int, float]], metric: str = "received") -> pd.DataFrame:
    return pd.DataFrame([(a, y, metric, "x", v, v, math.nan) for a, y, v in rows],
                        columns=["agency", "year", "metric", "label", "value", "numerator", "denominator"])


def test_yoy():
    f = frame([("甲", 2019, 100), ("甲", 2020, 80), ("甲", 2022, 120), ("乙", 2020, 0), ("乙", 2021, 5)])
    y = analysis.yoy(f, "received").set_index(["agency", "year"])
    assert y.loc[("甲", 2020), "previous"] == 100 and y.loc[("甲", 2020), "change"] == -20
    assert y.loc[("甲", 2020), "pct_change"] == pytest.approx(-0.2)
    assert math.isnan(y.loc[("甲", 2019), "previous"])
    assert math.isnan(y.loc[("甲", 2022), "previous"])  # 2021 missing: no change across a gap
    assert y.loc[("乙", 2021), "change"] == 5 and math.isnan(y.loc[("乙", 2021), "pct_change"])


def test_comparisons_refuse_duplicate_units():
    f = frame([("甲", 2019, 1), ("甲", 2019, 2)])
    with pytest.raises(ValueError, match="agency_year"):
        analysis.yoy(f)
    with pytest.raises(ValueError):
        analysis.pivot(f, "received")


def test_rank_within_peer_group():
    f = frame([("甲市", 2022, 10), ("乙市", 2022, 30), ("丙市", 2022, 30), ("丁市", 2022, math.nan),
               ("A县", 2022, 5), ("B县", 2022, 7), ("甲市", 2023, 1)])
    peers = pd.DataFrame({"agency": ["甲市", "乙市", "丙市", "丁市", "A县", "B县"],
                          "level": ["city"] * 4 + ["county"] * 2})
    r = analysis.rank(f, "received", peers).set_index(["agency", "year"])
    assert r.loc[("乙市", 2022), "rank"] == 1 and r.loc[("丙市", 2022), "rank"] == 1
    assert r.loc[("甲市", 2022), "rank"] == 3 and math.isnan(r.loc[("丁市", 2022), "rank"])
    assert r.loc[("甲市", 2022), "peers_ranked"] == 3
    assert r.loc[("B县", 2022), "rank"] == 1 and r.loc[("A县", 2022), "rank"] == 2
    assert r.loc[("甲市", 2023), "rank"] == 1 and r.loc[("甲市", 2023), "peers_ranked"] == 1
    low = analysis.rank(f, "received", peers, ascending=True).set_index(["agency", "year"])
    assert low.loc[("甲市", 2022), "rank"] == 1


def test_pivot_and_wide():
    m = analysis.metrics(CELLS, by="agency_year")
    p = analysis.pivot(m, "received")
    assert p.loc["甲市", 2019] == 100 and p.loc["甲市", 2021] == 50 and p.loc["乙县", 2022] == 8
    assert math.isnan(p.loc["乙县", 2019])
    w = analysis.wide(m)
    assert list(w.columns) == list(analysis.METRICS)
    assert w.loc[("甲市", 2019), "disclosure_rate"] == pytest.approx(50 / 90)
    assert analysis.wide(m, "denominator").loc[("甲市", 2019), "disclosure_rate"] == 90


def test_includes_synthetic():
    reports = pd.DataFrame({"report_id": ["a", "b"], "synthetic": [False, True]})
    assert analysis.includes_synthetic(reports)
    assert not analysis.includes_synthetic(reports, CELLS[CELLS["report_id"] == "a"])
    assert analysis.includes_synthetic(reports, CELLS)


# ---------------------------------------------------------------- agencies
@pytest.mark.parametrize("name, level", [
    ("上海市", "province"), ("贵州省", "province"), ("广西壮族自治区人民政府办公厅", "province"),
    ("淮安市人民政府", "city"), ("丽水市", "city"), ("贵阳市人民政府(市人民政府办公厅)", "city"),
    ("延边朝鲜族自治州人民政府", "city"),
    ("湖里区人民政府", "county"), ("武汉市汉阳区人民政府办公室", "county"), ("三都水族自治县人民政府", "county"),
    ("上海市浦东新区", "county"),
    ("驼峰路街道办事处", "township"), ("金山镇人民政府", "township"), ("中村乡", "township"),
    ("安吉县人民政府递铺街道办事处", "township"),
    ("拱墅区行政审批服务管理办公室", "department"), ("广东省自然资源厅", "department"), ("审计局", "department"),
    ("武汉经济技术开发区(汉南区)医疗保障局", "department"),
])
def test_infer_level(name, level):
    assert agencies.infer_level(name) == level


def test_infer_region_only_where_the_name_prints_it():
    assert agencies.infer_region("重庆市开州区公安局") == "重庆市"
    assert agencies.infer_region("广东省自然资源厅") == "广东省"
    assert agencies.infer_region("广西壮族自治区人民政府") == "广西壮族自治区"
    assert agencies.infer_region("上海市浦东新区") == "上海市"
    assert agencies.infer_region("东海省交通运输厅") == "东海省"  # the synthetic corpus's province
    assert agencies.infer_region("武汉市发展和改革委员会") is None
    assert agencies.infer_region("平利县正阳镇") is None


def test_overrides_win_and_blank_cells_keep_the_inference(tmp_path):
    csv = tmp_path / "agencies.csv"
    csv.write_text("agency,region,level\n高平市人民政府办公室,山西省,county\n清远市教育局,广东省,\n", "utf-8")
    t = agencies.classify(["高平市人民政府办公室", "清遠市教育局", "某局", None], csv).set_index("agency")
    assert list(t.index) == ["某局", "清遠市教育局", "高平市人民政府办公室"]
    assert t.loc["高平市人民政府办公室", ["region", "level", "source"]].tolist() == ["山西省", "county", "override"]
    assert t.loc["清遠市教育局", ["region", "level"]].tolist() == ["广东省", "department"]  # matched after 繁→简
    assert t.loc["某局", "source"] == "inferred" and pd.isna(t.loc["某局", "region"])
    assert t.loc["高平市人民政府办公室", "level_label"] == labels.LEVEL_LABELS["county"]


def test_override_table_is_checked(tmp_path):
    csv = tmp_path / "agencies.csv"
    csv.write_text("agency,region,level\n某局,,ministry\n", "utf-8")
    with pytest.raises(ValueError, match="ministry"):
        agencies.read_overrides(csv)
    assert agencies.classify(["某局"], tmp_path / "absent.csv")["source"].tolist() == ["inferred"]


def test_bundled_override_table_is_valid():
    table = agencies.read_overrides()
    assert len(table) > 10 and not table["agency"].duplicated().any()
    assert all(agencies.infer_region(r) == r for r in table["region"].dropna())

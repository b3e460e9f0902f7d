"""The legacy 统计表's own checks, on values as the parser hands them over (a planted mistake fails its rule)."""

from __future__ import annotations

from govstats.checks import run_checks
from govstats.documents.model import Cell
from govstats.parse.tables import Problem, Value

ROWS = {  # a 2014–2018 style table: (value, cumulative)
    "requests_received": (12, 40), "requests_in_person": (5, 20), "requests_online": (7, 20),
    "answers_total": (12, 40), "granted": (9, 30), "partially_granted": (2, 6), "denied": (1, 4),
    "admin_reviews": (2, 3), "review_upheld": (1, 2), "review_corrected": (1, 1), "review_other": (0, 0),
}


def _values(rows: dict[str, tuple[float, float]]) -> list[Value]:
    return [Value("legacy", r, col, float(v), "", Cell(str(v))) for r, vals in rows.items()
            for col, v in zip(("value", "cumulative"), vals)]


def _failed(values: list[Value], problems: list[Problem] = ()) -> set[tuple[str, str, str]]:
    c = run_checks(values, list(problems), "legacy", "某县", 2016)
    return {(r, row, col) for r, row, col, ok in zip(c["rule"], c["row"], c["column"], c["passed"]) if not ok}


def test_a_consistent_table_passes_every_rule():
    c = run_checks(_values(ROWS), [], "legacy", "某县", 2016)
    assert c["passed"].all()
    assert {"legacy.outcomes_sum", "legacy.channels_sum", "legacy.cumulative", "legacy.requests_found"} <= set(c["rule"])


def test_answers_that_do_not_add_up_fail_on_their_row_and_column():
    assert _failed(_values(ROWS | {"granted": (8, 30)})) == {("legacy.outcomes_sum", "answers_total", "value")}


def test_review_results_that_do_not_add_up_fail():
    assert _failed(_values(ROWS | {"review_corrected": (1, 2)})) == {
        ("legacy.outcomes_sum", "admin_reviews", "cumulative")}


def test_a_running_total_below_the_year_and_channels_that_do_not_add_up_warn():
    failed = _failed(_values(ROWS | {"requests_online": (7, 6)}))
    assert failed == {("legacy.cumulative", "requests_online", "cumulative"),
                      ("legacy.channels_sum", "requests_received", "cumulative")}


def test_no_request_figure_anywhere_is_a_completeness_warning_and_a_prose_figure_is_compared():
    assert ("legacy.requests_found", "requests_received", "value") in _failed(_values({"active_total": (5, 9)}))
    stated = Value("legacy", "admin_reviews", "stated", 1.0, "prose", Cell("收到1份行政复议申请"))
    assert ("legacy.prose_agrees", "admin_reviews", "stated") in _failed(_values(ROWS) + [stated])


def test_an_unmapped_indicator_is_kept_and_reported():
    kept = Value("legacy", "unmapped", "value", 3.0, "", Cell("3"), "政府信息公开咨询数")
    problem = Problem("unmapped_row", "legacy", "unmapped", "", "row '政府信息公开咨询数' is not in the schema", "warning")
    assert ("unmapped_row", "unmapped", "") in _failed(_values(ROWS) + [kept], [problem])

"""The per-report rules driven by hand-written values: each identity passes on consistent numbers and
fails, with both numbers, on an inconsistent one."""

from __future__ import annotations

import pandas as pd

from govstats import schema
from govstats.checks import run_checks
from govstats.parse.tables import Value


def requests_values(overrides: dict[tuple[str, str], float] | None = None) -> list[Value]:
    """A consistent 2021 requests table: 2 new + 1 carried over = 2 granted + 1 carried forward."""
    base = {row: 0.0 for row in schema.ROW_ORDER["requests"] if row != "other"}
    base |= {"new_received": 2.0, "carried_over": 1.0, "granted": 2.0, "total_processed": 2.0, "carried_forward": 1.0}
    out = []
    for row, total in base.items():
        cols = {c: 0.0 for c in schema.APPLICANT_COLUMNS} | {"natural_person": total, "total": total}
        for col, value in cols.items():
            value = (overrides or {}).get((row, col), value)
            out.append(Value("requests", row, col, value, "", None))
    return out


def failed(checks: pd.DataFrame, rule: str) -> pd.DataFrame:
    return checks[(checks["rule"] == rule) & ~checks["passed"]]


def test_consistent_numbers_pass_every_identity() -> None:
    checks = run_checks(requests_values(), [], "2021", "某市人民政府", 2023)
    for rule in ("requests.balance", "requests.outcomes_sum", "requests.applicant_sum"):
        assert (checks["rule"] == rule).any() and failed(checks, rule).empty, rule


def test_a_wrong_total_fails_the_applicant_sum_with_both_numbers() -> None:
    checks = run_checks(requests_values({("granted", "total"): 3.0}), [], "2021", "某市人民政府", 2023)
    bad = failed(checks, "requests.applicant_sum")
    assert list(bad["row"]) == ["granted"]
    assert (bad["expected"].iloc[0], bad["found"].iloc[0]) == (2.0, 3.0)
    assert not failed(checks, "requests.outcomes_sum").empty  # 3 granted no longer sum to （七）总计 2


def test_missing_tables_and_metadata_are_reported() -> None:
    checks = run_checks([], [], "2021", None, None)
    assert set(failed(checks, "completeness.table")["table"]) == set(schema.TABLES)
    assert not failed(checks, "metadata.year").empty and not failed(checks, "metadata.agency").empty

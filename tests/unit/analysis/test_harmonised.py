"""The harmonised series: legacy indicators before 2019, national cells after, by the crosswalk data."""

from __future__ import annotations

import math

import pandas as pd

from govstats import schema
from govstats.analysis.harmonised import harmonised_series, measures
from govstats.schema.sentences import legacy_crosswalk


def _cells(rows: list[tuple[int, str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame([{"agency_id": "a1", "year": y, "table": t, "row": r, "column": c, "value": v}
                         for y, t, r, c, v in rows])


def test_the_crosswalk_names_every_legacy_key_once_and_only_cells_of_the_schema():
    cw = legacy_crosswalk()
    assert sorted(c.legacy for c in cw) == sorted(schema.ROW_ORDER["legacy"])
    for c in cw:
        assert bool(c.measure) == bool(c.national) and c.difference
        for table, row, column in c.national:
            assert row in schema.ROW_ORDER[table] and column in schema.COLUMN_ORDER[table]
    assert measures()["not_held"][0] == ("not_this_body", "not_exist")


def test_legacy_parts_are_summed_before_the_break_and_national_cells_after():
    cells = _cells([
        (2015, "legacy", "not_this_body", "value", 2), (2015, "legacy", "not_exist", "value", 3),
        (2015, "legacy", "not_exist", "cumulative", 30),  # the running total is not the year's figure
        (2016, "legacy", "not_exist", "value", 1),
        (2020, "requests", "unavailable_not_held", "total", 4), (2020, "requests", "unavailable_not_held", "other_org", 9),
    ])
    s = harmonised_series(cells, "not_held").set_index("year")
    assert (s.loc[2015, "value"], s.loc[2016, "value"], s.loc[2020, "value"]) == (5, 1, 4)
    assert list(s.loc[[2015, 2020], "basis"]) == ["legacy", "national"] and s.loc[2017, "basis"] == ""
    assert math.isnan(s.loc[2017, "value"]) and s["definition_break"].sum() == 1 and s.loc[2019, "definition_break"]


def test_a_national_sum_with_a_cell_missing_is_nan_never_a_partial_sum():
    cells = _cells([(2021, "review", "litigation_direct", "total", 2)])  # litigation_after_review not read
    s = harmonised_series(cells, "suits").set_index("year")
    assert math.isnan(s.loc[2021, "value"])

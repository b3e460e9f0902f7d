"""The decoder of rows whose cells ran together: a reading only where exactly one satisfies the identities."""

from __future__ import annotations

import math
import time

from govstats.parse.decode import Group, Readings, label_tail, pieces, readings, resolve

REQUEST = [Group(7, summed=True)]  # six applicant columns, then their total
REVIEW = [Group(5, summed=True)] * 3  # three review groups of four results and a total


def test_unique_reading_of_a_glued_request_row():
    found = readings(["230000023"], REQUEST)
    assert found.unique() == (23, 0, 0, 0, 0, 0, 23)


def test_unique_reading_of_a_glued_review_body():
    found = readings(["1064828705921640212"], REVIEW)
    assert found.unique() == (10, 6, 4, 8, 28, 7, 0, 5, 9, 21, 6, 4, 0, 2, 12)


def test_two_readings_decide_nothing():
    found = readings(["11"], [Group(3, summed=True)])  # 1 + a vanished 0 = 1: which part vanished?
    assert found.complete and set(found.found) == {(1, 0, 1), (0, 1, 1)} and found.unique() is None
    assert found.why() == "ambiguous: 2 readings"


def test_no_reading_decides_nothing():
    found = readings(["99999991"], REQUEST)
    assert found.complete and found.found == () and found.unique() is None
    assert found.why() == "no reading satisfies the identities"


def test_blank_marks_are_one_cell_each_and_dropped_cells_may_vanish():
    assert pieces(["23/0/", "5"]) == ["23", "/", "0", "/", "5"]
    assert pieces(["3件"]) is None  # a unit: not a row whose cells ran together
    assert readings(["5", "/", "5"], [Group(3, summed=True)]).unique() == (5, 0, 5)
    dropped = readings(["180", "40", "43", "18", "20", "301"], REQUEST)  # one 0 dropped: where is open
    assert dropped.complete and len(dropped.found) == 6


def test_long_digit_strings_stop_at_the_bound_and_stay_undecided():
    start = time.perf_counter()
    found = readings(["1" * 120], REQUEST)
    assert time.perf_counter() - start < 5
    assert not found.complete and found.unique() is None and "search bounded" in found.why()


def test_label_tail():
    assert label_tail("一、本年新收政府信息公开申请数量230000023") == "230000023"
    assert label_tail("1.属于国家秘密") == "" and label_tail("（七）总计") == ""


def test_table_identities_pick_the_one_reading_of_each_row():
    # two outcome rows and their total; row a reads either way on its own, the column sums decide
    a = Readings(((1, 0, 1), (0, 1, 1)), complete=True)
    chosen = resolve({"a": a}, {"b": (2, 3, 5), "t": (3, 3, 6)}, [(("a", "b"), ("t",))])
    assert chosen == {"a": (1, 0, 1)}


def test_table_identities_that_leave_two_decide_nothing():
    a = Readings(((1, 0, 1), (0, 1, 1)), complete=True)
    b = Readings(((2, 3, 5), (3, 2, 5)), complete=True)
    chosen = resolve({"a": a, "b": b}, {"t": (3, 3, 6)}, [(("a", "b"), ("t",))])
    assert chosen == {"a": None, "b": None}


def test_identities_that_no_reading_satisfies_decide_nothing_beyond_each_row():
    a = Readings(((1, 0, 1), (0, 1, 1)), complete=True)
    b = Readings(((9, 9, 18),), complete=True)
    chosen = resolve({"a": a, "b": b}, {"t": (3, 3, 6)}, [(("a", "b"), ("t",))])
    assert chosen == {"a": None, "b": (9, 9, 18)}


def test_a_row_with_no_complete_readings_makes_its_identity_unusable():
    a = Readings(((1, 0, 1), (0, 1, 1)), complete=True)
    b = Readings((), complete=False)
    assert resolve({"a": a, "b": b}, {"t": (3, 3, 6)}, [(("a", "b"), ("t",))]) == {"a": None, "b": None}
    assert math.isfinite(sum(readings(["291"], [Group(3, summed=False)]).found[0]))

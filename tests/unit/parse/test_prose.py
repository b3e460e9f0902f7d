"""Figures stated in sentences: each pattern reads its own example, and numbers of other measures stay unread."""

from __future__ import annotations

import pytest

from govstats.parse.prose import statements
from govstats.schema.sentences import legacy_sentences

PATTERNS = legacy_sentences()


@pytest.mark.parametrize("pattern", PATTERNS, ids=[f"{p.key}.{p.column}:{p.example}" for p in PATTERNS])
def test_each_sentence_pattern_reads_its_own_example(pattern):
    found = [(s.key, s.column) for s in statements(pattern.example, PATTERNS)]
    assert (pattern.key, pattern.column) in found


def test_a_sentence_gives_key_value_sentence_and_span_in_the_printed_text():
    text = "一、概述\n2018年，共受理政府信息公开申请12件，其中同意公开10件，同意部分公开1件，不予公开1件。其他。"
    got = statements(text, PATTERNS)
    assert [(s.key, s.value) for s in got] == [("requests_received", 12), ("granted", 10),
                                               ("partially_granted", 1), ("denied", 1)]
    first = got[0]
    assert first.sentence == "2018年，共受理政府信息公开申请12件，其中同意公开10件，同意部分公开1件，不予公开1件"
    assert text[first.span[0]:first.span[1]] == "共受理政府信息公开申请12件"


@pytest.mark.parametrize("sentence", [
    "依据《条例》第二十四条规定，收到申请后15个工作日内予以答复",  # 第N条, a time limit
    "根据厦湖府〔2019〕1号文件，2019年1月4日收到申请材料",  # a document number and a date
    "全年依申请公开信息459条",  # items classed 依申请公开, not requests
    "网站发布信息12000条，其中政府信息公开专栏更新2310条",  # counts of web posts
    "2017年12月31日前受理的申请均已办结",  # a date beside 受理…申请
    "不予公开信息1535条",  # items withheld, not denied requests
])
def test_a_number_for_something_else_is_never_a_request_count(sentence):
    keys = {s.key for s in statements(sentence, PATTERNS)}
    assert not keys & {"requests_received", "granted", "partially_granted", "denied", "admin_reviews", "suits"}


def test_a_number_is_read_once_by_the_first_pattern_that_covers_it():
    got = statements("区直、县直各单位主动公开政府信息303条，占71.3%。", PATTERNS)
    assert [(s.key, s.column, s.value, s.subject) for s in got] == [
        ("active_by_publisher", "value", 303, "区直、县直各单位"), ("active_by_publisher", "share", 71.3, "区直、县直各单位")]


def test_stated_zero_is_not_the_review_count():
    got = statements("2011年全区未收到有关政府信息公开的申请，未收到有关政府信息公开行政复议申请。", PATTERNS)
    assert [(s.key, s.value) for s in got] == [("requests_received", 0), ("admin_reviews", 0)]

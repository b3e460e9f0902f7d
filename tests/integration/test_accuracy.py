"""The accuracy benchmark's core on the fast renderings: generated reports read back cell for cell.

Few seeds (both templates, blanks in half of them) and no LibreOffice, so it runs in seconds;
`benchmarks/bench_accuracy.py` runs the same over more seeds and every rendering.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govstats.testing import accuracy, renderings

SEEDS = range(8)
FAST = renderings.names(slow=False)


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict[str, accuracy.Score]:
    readings = accuracy.run(SEEDS, FAST, tmp_path_factory.mktemp("accuracy"))
    return {s.rendering: s for s in accuracy.score(readings)}


def test_the_corpus_spans_templates_agencies_years_and_blanks():
    reps = accuracy.corpus(SEEDS)
    assert {r.template for r in reps} == {"2019", "2021"}
    assert len({r.agency for r in reps}) >= 4 and len({r.year for r in reps}) >= 3
    assert any(r.blanks for r in reps) and any(not r.blanks for r in reps)


def test_an_injected_change_breaks_an_identity_of_a_checked_table():
    rep = accuracy.corpus([3])[0]
    twin, key = accuracy.inject(rep, 3)
    assert key[0] in accuracy.CHECKED_TABLES and twin.values[key] > rep.values[key]
    assert {k for k in rep.values if twin.values[k] != rep.values[k]} == {key}


def test_fast_renderings_are_registered_and_slow_ones_marked():
    assert {"html", "text-pipe", "text-layout", "docx", "xlsx", "xls"} <= set(FAST)
    assert {"pdf", "doc", "rtf", "pdftotext-layout"} <= set(renderings.names()) - set(FAST)
    with pytest.raises(ValueError, match="twice"):
        renderings.register("html", "html")(lambda rep, out: Path(out))


@pytest.mark.parametrize("name", FAST)
def test_cells_and_metadata_read_back(scores, name):
    s = scores[name]
    assert s.documents == len(SEEDS) and s.unreadable == 0
    assert s.f1 >= 0.999, s
    assert min(s.agency, s.year, s.template) >= 0.995, s


@pytest.mark.parametrize("name", FAST)
def test_every_injected_inconsistency_fails_a_check_and_no_consistent_report_does(scores, name):
    s = scores[name]
    if renderings.RENDERINGS[name].corpus == "legacy-prose":  # figures stated in sentences: no identity to break
        assert s.injected == 0, s
    else:
        assert s.injected == len(SEEDS) and s.caught == 1.0, s
    assert s.false_alarms == 0, s


def test_legacy_reports_are_rendered_as_a_table_in_every_kind_of_file_and_as_prose():
    legacy = {r.format for r in renderings.RENDERINGS.values() if r.corpus == "legacy"}
    assert {"html", "docx", "pdf", "txt"} <= legacy
    assert {r.format for r in renderings.RENDERINGS.values() if r.corpus == "legacy-prose"} >= {"html", "txt"}
    years = {r.year for r in accuracy.legacy_corpus(SEEDS)} | {r.year for r in accuracy.legacy_corpus(SEEDS, prose=True)}
    assert min(years) < 2014 and max(years) == 2018


@pytest.mark.parametrize("name", FAST)
def test_no_number_of_something_else_is_read_as_a_request_figure(scores, name):
    assert scores[name].false_prose == 0, scores[name]

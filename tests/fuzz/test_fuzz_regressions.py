"""Every crash, hang or lie the fuzzer found, as the minimised input that showed it.

Each runs through the fuzz harness (memory cap, hard kill, leak check, value oracle).
Inputs too large to commit are hostile files made on the fly: `hostile:NAME` here, and the
PDF decompression bomb, the million-operator page, the 60 MB web page and text, and the
1M-cell workbook whose time-out came out as damage, in `test_fuzz.EXPECTED`.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import govstats
from fuzz.harness import Pool, make_case
from fuzz.hostile import HOSTILE
from fuzz.mutators import Case
from fuzz.seeds import build_seeds
from govstats.errors import CorruptFileError, ReadTimeoutError
from govstats.limits import time_limit

HERE = Path(__file__).parent / "regressions"
# (input, read_report's limit, outcome now, what went wrong before the fix)
REGRESSIONS = [
    ("huge-number.html", 10, "error:NotAReportError", "400 digits read as inf"),
    ("digits-apart.html", 10, "error:NotAReportError", "'3 4' read as 34"),
    ("quote-in-number.html", 10, "error:NotAReportError", "\"'1\" read as 1 (\"65'115\" as 65115)"),
    ("zip-version.xlsx", 10, "error:CorruptFileError", "NotImplementedError (zip version) escaped check_zip"),
    ("xf-index.xls", 10, "error:CorruptFileError", "IndexError escaped read_xls (cells read outside its try)"),
    ("bidi-isolates-in-labels.txt", 10, "report", "labels with U+2066..2069 not matched: rows came out unmapped"),
    ("full-width-year-in-title.txt", 10, "report", "agency cut to 某某县人民政府 by a full-width year"),
    ("kangxi-radical-in-title.txt", 10, "report", "agency cut to 某某县人民政府 by ⼯ (a Kangxi radical) in the title"),
    ("marks-in-agency.txt", 10, "report", "agency and year missed for zero-width and bidi marks"),
    ("hostile:garbage-ole-word.doc", 1, "error:ReadTimeoutError", "soffice left running after the time limit"),
]
# what the repaired readings say
READS = {
    "bidi-isolates-in-labels.txt": ("某某区教育局", 2023, {("active", "fees", "amount_10k_yuan"): 3028.0,
                                                      ("active", "licensing", "decisions"): 12.0}),
    "full-width-year-in-title.txt": ("某某县人民政府办公室", 2020, {}),
    "kangxi-radical-in-title.txt": ("某某县人民政府办公室", 2020, {}),
    "marks-in-agency.txt": ("某某市交通运输局", 2022, {}),
}


@pytest.fixture(scope="module")
def seeds():
    return build_seeds()


def _case(seeds, name: str) -> Case:
    if name.startswith("hostile:"):
        return make_case(seeds, 0, [n for n, _ in HOSTILE].index(name.removeprefix("hostile:")))
    return Case(0, "regression", name, Path(name).suffix, (HERE / name).read_bytes())


@pytest.mark.parametrize("name, timeout, outcome, bug", REGRESSIONS, ids=[r[0] for r in REGRESSIONS])
def test_regression(seeds, name, timeout, outcome, bug):
    with Pool(seeds, workers=1, timeout=timeout) as pool:
        got = next(pool.run([_case(seeds, name)]))
    assert (got.kind, got.failed) == (outcome, False), f"{bug}: {got.detail}"


@pytest.mark.parametrize("name", sorted(READS))
def test_repaired_reading(name):
    agency, year, values = READS[name]
    report = govstats.read_report(HERE / name)
    assert (report.agency, report.year) == (agency, year)
    got = {(t, r, c): v for t, r, c, v in zip(report.cells["table"], report.cells["row"], report.cells["column"],
                                               report.cells["value"])}
    assert got == values


def test_every_regression_input_is_used():
    assert {p.name for p in HERE.iterdir()} == {n for n, *_ in REGRESSIONS if not n.startswith("hostile:")}


def test_a_swallowed_time_limit_fires_again():
    """A library catching every Exception once (docx, openpyxl wrappers) must not outlive the limit."""
    start = time.monotonic()
    with pytest.raises(ReadTimeoutError), time_limit("x.docx", 0.2):
        try:
            time.sleep(3)
        except Exception:  # noqa: BLE001, S110 - what such a library does
            pass
        time.sleep(3)
    assert time.monotonic() - start < 2.5


def test_a_time_limit_wrapped_as_damage_is_still_a_time_limit():
    with pytest.raises(ReadTimeoutError, match="x.xlsx: reading took longer"), time_limit("x.xlsx", 0.1):
        try:
            time.sleep(2)
        except Exception as exc:
            raise CorruptFileError("x.xlsx", f"a damaged Excel workbook ({exc!r})") from exc

"""Agency, year and template of every report in the shared corpus (../shared/corpus from the repo root)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import ROOT

import govstats
from govstats.normalize import to_simplified

# ../shared/corpus beside the repository; a git worktree (wt/NAME) sits one level further down
SHARED = next((d for d in (ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus") if d.is_dir()),
              ROOT.parent / "shared" / "corpus")
TRUTHS = sorted(SHARED.rglob("*.json")) if SHARED.is_dir() else []

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason=f"the shared corpus {SHARED} is not on this machine")


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: str(p.relative_to(SHARED).with_suffix("")))
def test_metadata(truth_path: Path):
    truth = json.loads(truth_path.read_text("utf-8"))
    report_path = next(p for p in sorted(truth_path.parent.glob(truth_path.stem + ".*")) if p.suffix != ".json")
    report = govstats.read_report(report_path)
    assert (report.year, report.template) == (truth["year"], truth["template"])
    if truth.get("agency_in_text", True) and truth["agency"]:
        assert report.agency == to_simplified(truth["agency"])  # named simplified, as the site spells it
    else:
        assert report.agency is None
        assert not report.checks.set_index("rule").loc["metadata.agency", "passed"]


def test_every_truth_is_here():
    assert len(TRUTHS) >= 24

"""Shared test helpers: the bundled corpus and generated reports written to disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govstats.testing import synthetic

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "raw" / "corpus"
TRUTH = ROOT / "tests" / "truth"


def truth_files() -> list[Path]:
    return sorted(TRUTH.rglob("*.json"))


def report_for(truth: Path) -> Path:
    """The corpus file a truth JSON describes (same stem, any extension)."""
    rel = truth.relative_to(TRUTH).with_suffix("")
    matches = sorted(p for p in (CORPUS / rel.parent).glob(rel.name + ".*") if p.suffix != ".json")
    assert matches, f"no report for {truth}"
    return matches[0]


def load_truth(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def values_of(report) -> dict[tuple[str, str, str], float]:
    c = report.cells
    return {(t, r, k): v for t, r, k, v in zip(c["table"], c["row"], c["column"], c["value"])}


@pytest.fixture
def write(tmp_path):
    """write(name, text_or_bytes, encoding='utf-8') -> Path in a fresh temp dir."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write


@pytest.fixture(params=["2021", "2019"])
def synthetic_report(request) -> synthetic.SyntheticReport:
    year = 2022 if request.param == "2021" else 2020
    return synthetic.make_report(11, "某某县交通运输局", year, request.param)

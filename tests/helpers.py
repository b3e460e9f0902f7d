"""What tests share besides fixtures: where the corpus and fixtures are, and the truth values.

Importable from every test module (`from helpers import ...`): pytest puts tests/ on the path.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from govstats.testing import renderings, synthetic

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "raw" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"
TRUTH = FIXTURES / "truth"
DATA = FIXTURES / "data"


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


# One rendering per format of govstats.formats (the first registered for it; the encrypted refusal has its own test).
BY_FORMAT = {r.format: r for r in reversed(renderings.RENDERINGS.values())}
RENDERED_FORMATS = tuple(dict.fromkeys(r.format for r in renderings.RENDERINGS.values()))
CONVERTED = tuple(f for f in RENDERED_FORMATS if BY_FORMAT[f].slow)  # printed by LibreOffice from the DOCX
FAST_FORMATS = tuple(f for f in RENDERED_FORMATS if f not in CONVERTED)


def render(rep: synthetic.SyntheticReport, fmt: str, folder: Path) -> Path:
    """The report rendered as `fmt` in folder, by the registry's first rendering of that format."""
    return renderings.render(rep, BY_FORMAT[fmt].name, folder)


# Skipped only on a machine without soffice outside CI; in CI (CI set) they run, and fail without it.
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None and "CI" not in os.environ,
                                   reason="LibreOffice (soffice) is not installed; `make system-deps` installs it")

"""Fixtures shared by every test: generated reports, and files written to a fresh temp dir.

Plain helpers (paths, truth values) live in `helpers.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govstats.testing import synthetic


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

"""The README's API tour runs as written."""

from __future__ import annotations

import contextlib
import io
import os
import re

from helpers import ROOT


def test_api_tour_runs_as_written():
    readme = (ROOT / "README.md").read_text("utf-8")
    tour = readme.split("## API tour", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", tour, re.S)
    assert len(blocks) >= 2
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        namespace: dict = {}
        with contextlib.redirect_stdout(out):
            for block in blocks:
                exec(compile(block, "README.md", "exec"), namespace)
    finally:
        os.chdir(cwd)
    printed = out.getvalue()
    assert "淮安市人民政府 2024 template 2021, 200 cells, 0 failed checks" in printed
    assert "index.csv" in printed

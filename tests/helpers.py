"""What tests share besides fixtures: where the corpus and fixtures are, and the truth values.

Importable from every test module (`from helpers import ...`): pytest puts tests/ on the path.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from govstats.testing import markdown, office, synthetic

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


def _text(render: Callable[[synthetic.SyntheticReport], str]) -> Callable[[synthetic.SyntheticReport, Path], Path]:
    def write(rep: synthetic.SyntheticReport, path: Path) -> Path:
        path.write_text(render(rep), "utf-8")
        return path
    return write


# One generated report in every format of govstats.formats (the encrypted refusal has its own test).
WRITERS: dict[str, Callable[[synthetic.SyntheticReport, Path], Path]] = {
    "html": _text(synthetic.render_html), "txt": _text(synthetic.render_text), "md": _text(markdown.render_markdown),
    "docx": office.render_docx, "xlsx": office.render_xlsx, "xls": office.render_xls,
}
CONVERTED = ("doc", "rtf", "pdf")  # printed by LibreOffice from the DOCX
RENDERED_FORMATS = (*WRITERS, *CONVERTED)


def render(rep: synthetic.SyntheticReport, fmt: str, folder: Path) -> Path:
    """The report rendered as `fmt` in folder (a LibreOffice conversion of the DOCX for CONVERTED formats)."""
    if fmt in CONVERTED:
        return office.convert_with_soffice(render(rep, "docx", folder), fmt, folder / fmt)
    return WRITERS[fmt](rep, folder / f"report.{fmt}")

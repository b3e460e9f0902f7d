"""Every way govstats can print a generated report, by name: the one list tests and benchmarks share.

A rendering turns a `SyntheticReport` into a file that `read_report` should read back exactly.
Adding one (a Markdown table, glued text, a shuffled header, ...) is one `register` call: the
accuracy benchmark and its test pick it up by name. Renderings that need LibreOffice (or a
tool run on its output) are marked `slow`, so fast tests can leave them out.

Each rendering writes into `folder / name /`; a rendering made from another (PDF from DOCX,
`pdftotext -layout` from the PDF) renders its source into the same `folder`, so give every
report its own folder.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import office
from .markdown import render_markdown
from .synthetic import SyntheticReport, render_html, render_text

Writer = Callable[[SyntheticReport, Path], Path]  # (report, its own empty directory) -> the file written


@dataclass(frozen=True)
class Rendering:
    name: str
    format: str  # the govstats.formats name of what it writes
    write: Writer
    slow: bool  # needs LibreOffice: seconds per report instead of milliseconds
    corpus: str = "national"  # the reports it prints (`accuracy.CORPORA`): national tables, a legacy 统计表, prose


RENDERINGS: dict[str, Rendering] = {}


def register(name: str, fmt: str, *, slow: bool = False, corpus: str = "national") -> Callable[[Writer], Writer]:
    """Add a writer of format `fmt` under `name` (unique), printing reports of `corpus`; used as a decorator."""
    def add(write: Writer) -> Writer:
        if name in RENDERINGS:
            raise ValueError(f"rendering {name!r} is registered twice")
        RENDERINGS[name] = Rendering(name, fmt, write, slow, corpus)
        return write
    return add


def names(*, slow: bool = True) -> list[str]:
    """Registered renderings in registration order; without the LibreOffice ones when `slow` is false."""
    return [r.name for r in RENDERINGS.values() if slow or not r.slow]


def render(rep: SyntheticReport, name: str, folder: Path) -> Path:
    """`rep` rendered as `name` below `folder` (reusing what an earlier call wrote there for the same report)."""
    out = Path(folder) / name
    done = sorted(out.glob("report.*")) if out.is_dir() else []
    if done:
        return done[0]
    out.mkdir(parents=True, exist_ok=True)
    return RENDERINGS[name].write(rep, out)


def _text(suffix: str, make: Callable[[SyntheticReport], str]) -> Writer:
    def write(rep: SyntheticReport, out: Path) -> Path:
        path = out / f"report.{suffix}"
        path.write_text(make(rep), "utf-8")
        return path
    return write


def _office(write: Callable[[SyntheticReport, Path], Path], suffix: str) -> Writer:
    return lambda rep, out: write(rep, out / f"report.{suffix}")


def _converted(fmt: str, source: str = "docx") -> Writer:
    """LibreOffice's conversion of the DOCX rendering, as agencies print their Word reports."""
    def write(rep: SyntheticReport, out: Path) -> Path:
        return office.convert_with_soffice(render(rep, source, out.parent), fmt, out)
    return write


def _pdftotext_layout(rep: SyntheticReport, out: Path) -> Path:
    """`pdftotext -layout` of the PDF rendering: the text layer as many sites republish it."""
    path = out / "report.txt"
    subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(render(rep, "pdf", out.parent)), str(path)],
                   check=True, capture_output=True, timeout=120)
    return path


register("html", "html")(_text("html", render_html))
register("text-pipe", "txt")(_text("txt", lambda rep: render_text(rep, "pipe")))
register("text-layout", "txt")(_text("txt", lambda rep: render_text(rep, "layout")))
register("markdown", "md")(_text("md", render_markdown))
register("docx", "docx")(_office(office.render_docx, "docx"))
register("xlsx", "xlsx")(_office(office.render_xlsx, "xlsx"))
register("xls", "xls")(_office(office.render_xls, "xls"))
for _converted_format in ("pdf", "doc", "rtf"):
    register(_converted_format, _converted_format, slow=True)(_converted(_converted_format))
register("pdftotext-layout", "txt", slow=True)(_pdftotext_layout)

# Pre-2019 reports (`testing.legacy`): a 2014–2018-style 统计表, and figures stated only in sentences, both beside
# sentences with numbers of other things.
register("legacy-html", "html", corpus="legacy")(_text("html", render_html))
register("legacy-text", "txt", corpus="legacy")(_text("txt", lambda rep: render_text(rep, "layout")))
register("legacy-text-pipe", "txt", corpus="legacy")(_text("txt", lambda rep: render_text(rep, "pipe")))
register("legacy-docx", "docx", corpus="legacy")(_office(office.render_docx, "docx"))
register("legacy-pdf", "pdf", slow=True, corpus="legacy")(_converted("pdf", "legacy-docx"))
register("legacy-prose-html", "html", corpus="legacy-prose")(_text("html", render_html))
register("legacy-prose-text", "txt", corpus="legacy-prose")(_text("txt", lambda rep: render_text(rep, "layout")))
register("legacy-prose-docx", "docx", corpus="legacy-prose")(_office(office.render_docx, "docx"))

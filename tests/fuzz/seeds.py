"""Seed files for the fuzzer: the real corpus and generated reports in every format.

Generated HTML, text, DOCX and XLSX seeds print every value cell as a placeholder (a
unique 8-digit number), so a mutator can put any text into one known cell and the
oracle knows which key it replaced; `Seed.pack` fills the placeholders back in.
PDF, DOC and RTF seeds come from LibreOffice and are cached between runs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import io
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from govstats.testing import office as render_office
from govstats.testing import synthetic
from govstats.testing.synthetic import Key, SyntheticReport

ROOT = Path(__file__).resolve().parents[2]
REAL = sorted(p for p in (ROOT / "data" / "raw" / "corpus").rglob("*") if p.suffix in (".txt", ".pdf", ".html"))
REAL += sorted(p for p in (ROOT / "tests" / "fixtures" / "data").iterdir() if p.suffix in (".txt", ".docx"))
PLACEHOLDER_BASE = 97_000_000
# how a placeholder stands in each format; group 1 is the number
_PLACE = {"xlsx": re.compile(r't="n"><v>(97\d{6})</v>')}
PLACEHOLDER = re.compile(r"(?<!\d)(97\d{6})(?!\d)")
_CHAR_REF = re.compile(r"&#(\d+);")


@dataclass(frozen=True)
class Slot:
    """A value cell of a generated seed: its key and what the report printed there."""

    key: Key
    printed: str
    value: float


def _put(fmt: str, text: str, number: bool) -> str:
    """`text` written into a value cell of format `fmt` (a number, or any text)."""
    if fmt == "html":
        return html.escape(text)
    if fmt == "docx":
        return escape(text)
    if fmt == "xlsx":
        return f't="n"><v>{text}</v>' if number else f't="inlineStr"><is><t>{escape(text)}</t></is>'
    return text


@dataclass(frozen=True)
class Seed:
    """A starting file. `parts` is its editable text ('' = the whole file, else zip member → XML)."""

    name: str
    fmt: str
    raw: bytes
    parts: dict[str, str] = field(default_factory=dict)
    slots: dict[str, Slot] = field(default_factory=dict)  # placeholder → value cell

    @property
    def data(self) -> bytes:
        return self.pack(self.parts)

    def pack(self, parts: dict[str, str], overrides: dict[str, str] | None = None) -> bytes:
        """The file with `parts` in place and every placeholder printed (as `overrides` says, else as seeded)."""
        if not parts:
            return self.raw
        overrides = overrides or {}
        rx = _PLACE.get(self.fmt, PLACEHOLDER)

        def fill(m: re.Match[str]) -> str:
            ph = m.group(1)
            if ph in overrides:
                return _put(self.fmt, overrides[ph], False)
            return _put(self.fmt, self.slots[ph].printed, True) if ph in self.slots else m.group()

        filled = {name: rx.sub(fill, text) for name, text in parts.items()}
        if "" in filled:
            return filled[""].encode("utf-8")
        return rezip(self.raw, {name: text.encode("utf-8") for name, text in filled.items()})


def rezip(data: bytes, replace: dict[str, bytes], drop: frozenset[str] = frozenset()) -> bytes:
    """A copy of zip `data` with some members' contents replaced and some dropped, order kept."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in drop:
                dst.writestr(info, replace.get(info.filename, src.read(info)))
    return out.getvalue()


def reports() -> list[SyntheticReport]:
    """Three generated reports: template 2021, template 2019, and 2021 with blank cells and big numbers."""
    a = synthetic.make_report(1, "某某市交通运输局", 2022, "2021")
    b = synthetic.make_report(2, "某某县人民政府办公室", 2020, "2019")
    c = synthetic.make_report(3, "某某区教育局", 2023, "2021", scale=5000)
    c.blanks = {k for k, v in sorted(c.values.items()) if v == 0 and k[0] == "requests"}
    return [a, b, c]


def _placeholders(rep: SyntheticReport) -> tuple[SyntheticReport, dict[str, Slot]]:
    keys = [k for k in sorted(rep.values) if k not in rep.blanks]
    slots = {str(PLACEHOLDER_BASE + i): Slot(k, synthetic._fmt(rep, k), rep.values[k]) for i, k in enumerate(keys)}
    values = dict(rep.values) | {s.key: float(ph) for ph, s in slots.items()}
    return dataclasses.replace(rep, values=values), slots


def _member(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        text = zf.read(name).decode("utf-8")
    # openpyxl writes CJK as character references: make them plain text that mutators can edit
    return _CHAR_REF.sub(lambda m: chr(int(m.group(1))) if int(m.group(1)) > 127 else m.group(), text)


def _soffice_seeds(docx_files: list[Path], cache: Path) -> list[Path]:
    """PDF and DOC of each DOCX (and one RTF), converted once and cached under `cache`."""
    wanted = [(src, fmt) for src in docx_files for fmt in ("pdf", "doc")] + [(docx_files[0], "rtf")]
    out = []
    for src, fmt in wanted:
        target = cache / f"{src.stem}.{fmt}"
        if not target.exists():
            with tempfile.TemporaryDirectory(dir=cache) as tmp:
                made = render_office.convert_with_soffice(src, fmt, Path(tmp))
                os.replace(made, target)
        out.append(target)
    return out


def cache_dir() -> Path:
    """Where converted seeds live: keyed by the code that makes them, so a change rebuilds them."""
    digest = hashlib.sha256()
    for module in (synthetic, render_office):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(Path(__file__).read_bytes())
    path = Path(tempfile.gettempdir()) / f"govstats-fuzz-seeds-{digest.hexdigest()[:12]}"
    path.mkdir(exist_ok=True)
    return path


def build_seeds(with_soffice: bool = True) -> list[Seed]:
    """Every seed, in a fixed order (cases refer to seeds by index)."""
    seeds = [Seed(f"real/{p.name}", p.suffix[1:], p.read_bytes()) for p in REAL]
    cache = cache_dir()
    docx_files = []
    for n, rep in enumerate(reports()):
        stem = f"gen{n}-{rep.template}"
        ph, slots = _placeholders(rep)
        for style, fmt, text in (("page", "html", synthetic.render_html(ph)), ("pipe", "txt", synthetic.render_text(ph, "pipe")),
                                 ("layout", "txt", synthetic.render_text(ph, "layout"))):
            seeds.append(Seed(f"{stem}.{style}.{fmt}", fmt, b"", {"": text}, slots))
        for fmt, member in (("docx", "word/document.xml"), ("xlsx", "xl/worksheets/sheet1.xml")):
            path = getattr(render_office, f"render_{fmt}")(ph, cache / f"{stem}-ph.{fmt}")
            raw = path.read_bytes()
            seeds.append(Seed(f"{stem}.{fmt}", fmt, raw, {member: _member(raw, member)}, slots))
        xls = render_office.render_xls(rep, cache / f"{stem}.xls")
        seeds.append(Seed(xls.name, "xls", xls.read_bytes()))
        docx_files.append(render_office.render_docx(rep, cache / f"{stem}.docx"))
    if with_soffice and shutil.which("soffice"):
        seeds += [Seed(p.name, p.suffix[1:], p.read_bytes()) for p in _soffice_seeds(docx_files[:2], cache)]
    return seeds

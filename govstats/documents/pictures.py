"""Pictures of the source: the place in the file a value was read from, with its cell outlined.

A number is trusted when it can be looked at in the original. A PDF page (text layer or OCR'd
scan) is rendered by PDFium and cut to the region around the marked cells, whose boxes
(`Cell.box`, page points) are outlined. A grid format (HTML, Word, Excel, Markdown, …) has no
page to render: its own table is drawn as the reader found it — rows, columns and merged cells,
the printed texts — with the marked cells highlighted; the lines of a text file likewise, one
row a line. Formats only: which cells to mark is the caller's (`Report.show`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path

import pylopdf_fonts_zh_cn
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from .model import Cell, Document

Box = tuple[float, float, float, float]
Color = tuple[int, int, int]

SCALE = 2.0  # pixels per PDF point (144 dpi): small print stays legible
MARGIN = 14.0  # points around the region shown
BAND = 90.0  # points above and below a marked cell outside a table
LINES_AROUND = 6  # text lines shown before and after the marked ones
FONT_PX = 16
PAD = 6  # pixels inside a drawn cell
MAX_COLUMN_PX = 260  # a long label wraps rather than widen its column
OUTLINE: Color = (220, 20, 20)
FILL = (255, 221, 0, 90)  # translucent yellow over a marked cell
INK: Color = (30, 30, 30)
RULE: Color = (120, 120, 120)
PAPER: Color = (255, 255, 255)
CAPTION: Color = (90, 90, 90)


@functools.cache
def font(size: int = FONT_PX) -> ImageFont.FreeTypeFont:
    """Noto Sans SC, shipped by a dependency: Chinese renders the same on every machine."""
    return ImageFont.truetype(str(pylopdf_fonts_zh_cn.sans_path()), size)


def union(boxes: Iterable[Box]) -> Box:
    bs = list(boxes)
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))


def _caption(image: Image.Image, text: str) -> Image.Image:
    """The picture with a line above it saying what it shows."""
    f = font(14)
    out = Image.new("RGB", (max(image.width, int(f.getlength(text)) + 2 * PAD), image.height + 24), PAPER)
    ImageDraw.Draw(out).text((PAD, 4), text, font=f, fill=CAPTION)
    out.paste(image, (0, 24))
    return out


def stack(images: Sequence[Image.Image]) -> Image.Image:
    """Pictures one below the other (the pages of a table that runs over a page break)."""
    if len(images) == 1:
        return images[0]
    out = Image.new("RGB", (max(i.width for i in images), sum(i.height for i in images) + 8 * (len(images) - 1)),
                    PAPER)
    y = 0
    for i in images:
        out.paste(i, (0, y))
        y += i.height + 8
    return out


def outline(image: Image.Image, boxes: Iterable[Box], *, color: Color = OUTLINE, fill: bool = True,
            width: int = 3) -> Image.Image:
    """Boxes (in the image's pixels) outlined, over a translucent fill: the text under them stays readable."""
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for b in boxes:
        draw.rectangle(b, fill=FILL if fill else None, outline=(*color, 255), width=width)
    return Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")


# ------------------------------------------------------------------ paged documents (PDF)
def render_page(path: Path, number: int, scale: float = SCALE) -> Image.Image:
    """Page `number` (1-based) of the PDF at `path`, rendered by PDFium."""
    pdf = pdfium.PdfDocument(path)
    try:
        return pdf[number - 1].render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()


def _pixels(box: Box, origin: tuple[float, float] = (0.0, 0.0), scale: float = SCALE) -> Box:
    return ((box[0] - origin[0]) * scale, (box[1] - origin[1]) * scale,
            (box[2] - origin[0]) * scale, (box[3] - origin[1]) * scale)


def _region(doc: Document, page: int, marked: list[Cell]) -> Box:
    """What to show around the marked cells of one page: their tables whole, else a band of the page."""
    tables = {c.table for c in marked if c.table is not None}
    around = [c.box for c in doc.cells if c.page == page and c.box is not None and c.table in tables]
    for c in marked:
        if c.table is None and c.box is not None:
            top, bottom = c.box[1] - BAND, c.box[3] + BAND
            around += [x.box for x in doc.cells if x.page == page and x.box is not None
                       and x.box[3] >= top and x.box[1] <= bottom]
    return union(around + [c.box for c in marked if c.box is not None])


def page_picture(doc: Document, marked: Sequence[Cell], caption: str = "") -> Image.Image:
    """The page region(s) of the marked cells, rendered from the PDF, each cell outlined."""
    pictures = []
    for page in sorted({c.page for c in marked if c.page is not None and c.box is not None}):
        here = [c for c in marked if c.page == page and c.box is not None]
        image = render_page(doc.path, page)
        width, height = image.width / SCALE, image.height / SCALE
        x0, top, x1, bottom = _region(doc, page, here)
        clip = (max(0.0, x0 - MARGIN), max(0.0, top - MARGIN), min(width, x1 + MARGIN), min(height, bottom + MARGIN))
        image = outline(image, [_pixels(c.box) for c in here if c.box is not None])
        image = image.crop((clip[0] * SCALE, clip[1] * SCALE, clip[2] * SCALE, clip[3] * SCALE))
        pictures.append(_caption(image, f"{caption} p{page}".strip()))
    return stack(pictures)


# ------------------------------------------------------------------ grid documents
def _wrap(text: str, width: float, f: ImageFont.FreeTypeFont) -> list[str]:
    """Lines of text no wider than `width` pixels (Chinese breaks anywhere; printed breaks kept)."""
    lines = []
    for part in text.split("\n"):
        line = ""
        for ch in part:
            if line and f.getlength(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


def _spans(at: dict[tuple[int, int], Cell], rows: int, cols: int) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, col) of each printed cell → its (rowspan, colspan), from the positions a merge left empty.

    Across first: a cell takes the empty positions to its right; then down: the rows below whose
    positions under it are all empty and not taken across (a merged label below a row-spanning
    cell keeps its own row).
    """
    across: dict[tuple[int, int], int] = {}
    taken: set[tuple[int, int]] = set()
    for (r, c) in sorted(at):
        w = 1
        while c + w < cols and (r, c + w) not in at:
            taken.add((r, c + w))
            w += 1
        across[(r, c)] = w
    spans = {}
    for (r, c), w in across.items():
        h = 1
        while r + h < rows and all((r + h, c + k) not in at and (r + h, c + k) not in taken for k in range(w)):
            h += 1
        spans[(r, c)] = (h, w)
    return spans


def _grid_image(cells: Sequence[Cell], marked: set[tuple[int, int]]) -> Image.Image:
    """One table of the reader's grid drawn as printed: cell texts in ruled boxes, merges kept."""
    f = font()
    at = {(c.row, c.col): c for c in cells if not c.span_copy and c.row is not None and c.col is not None}
    rows = 1 + max(r for r, _ in at)
    cols = 1 + max(c for _, c in at)
    spans = _spans(at, rows, cols)
    natural = [40.0] * cols
    for (r, c), cell in at.items():
        if spans[(r, c)][1] == 1:
            longest = max((f.getlength(t) for t in cell.text.split("\n")), default=0.0)
            natural[c] = max(natural[c], min(MAX_COLUMN_PX, longest + 2 * PAD))
    xs = [0.0]
    for w in natural:
        xs.append(xs[-1] + w)
    line_px = FONT_PX + 6
    heights = [float(line_px + 2 * PAD)] * rows
    for (r, c), cell in at.items():
        h, w = spans[(r, c)]
        if h == 1:
            lines = _wrap(cell.text, xs[c + w] - xs[c] - 2 * PAD, f)
            heights[r] = max(heights[r], len(lines) * line_px + 2 * PAD)
    ys = [0.0]
    for height in heights:
        ys.append(ys[-1] + height)
    image = Image.new("RGB", (int(xs[-1]) + 2, int(ys[-1]) + 2), PAPER)
    draw = ImageDraw.Draw(image)
    boxes = []
    for (r, c), cell in sorted(at.items()):
        h, w = spans[(r, c)]
        box = (xs[c], ys[r], xs[c + w], ys[r + h])
        draw.rectangle(box, outline=RULE, width=1)
        lines = _wrap(cell.text, box[2] - box[0] - 2 * PAD, f)
        y = (box[1] + box[3]) / 2 - len(lines) * line_px / 2
        for line in lines:
            draw.text((box[0] + PAD, y), line, font=f, fill=INK)
            y += line_px
        if (r, c) in marked:
            boxes.append(box)
    return outline(image, boxes)


def _line_image(lines: dict[int, list[Cell]], marked: set[int]) -> Image.Image:
    """Text lines as the reader split them: one row a line, its cells boxed left to right, the line number first."""
    f = font()
    line_px = FONT_PX + 2 * PAD + 4
    widths = {n: [f.getlength(c.text.replace("\n", " ")) + 2 * PAD for c in cells] for n, cells in lines.items()}
    number_px = f.getlength(f"{max(lines)}") + 2 * PAD
    width = number_px + max((sum(w) + 4 * len(w) for w in widths.values()), default=0.0)
    image = Image.new("RGB", (int(width) + 2, line_px * len(lines) + 2), PAPER)
    draw = ImageDraw.Draw(image)
    boxes = []
    for k, (n, cells) in enumerate(sorted(lines.items())):
        y = k * line_px
        draw.text((PAD, y + PAD), str(n), font=f, fill=CAPTION)
        x = number_px
        for cell, w in zip(cells, widths[n]):
            box = (x, y + 2, x + w, y + line_px - 2)
            draw.rectangle(box, outline=RULE, width=1)
            draw.text((x + PAD, y + PAD), cell.text.replace("\n", " "), font=f, fill=INK)
            if id(cell) in marked:
                boxes.append(box)
            x += w + 4
    return outline(image, boxes)


def grid_picture(doc: Document, marked: Sequence[Cell], caption: str = "") -> Image.Image:
    """The document's own tables (or text lines) holding the marked cells, drawn with those cells highlighted."""
    name = caption or doc.path.name
    pictures = []
    for table in sorted({c.table for c in marked if c.table is not None}):
        cells = [c for c in doc.cells if c.table == table]
        here = {(c.row, c.col) for c in marked if c.table == table and c.row is not None and c.col is not None}
        address = next((c.address.split("!")[0] for c in cells if c.address), "")
        where = f"sheet {address}" if address else f"table {table + 1}"
        pictures.append(_caption(_grid_image(cells, here), f"{name} · {where}"))
    lines_marked = [c for c in marked if c.table is None and c.line is not None]
    if lines_marked:
        numbers = [c.line for c in lines_marked if c.line is not None]
        first, last = min(numbers) - LINES_AROUND, max(numbers) + LINES_AROUND
        lines: dict[int, list[Cell]] = {}
        for c in doc.cells:
            if c.table is None and c.line is not None and first <= c.line <= last:
                lines.setdefault(c.line, []).append(c)
        chosen: set[int] = set()
        for m in lines_marked:
            same = [c for c in lines.get(m.line or 0, []) if c.text == m.text]
            chosen.update(id(c) for c in (same[:1] or lines.get(m.line or 0, [])))
        pictures.append(_caption(_line_image(lines, chosen), f"{name} · lines {max(first, 1)}–{last}"))
    if not pictures:
        return _caption(Image.new("RGB", (480, 8), PAPER), f"{name}: no position in the file is known for this value")
    return stack(pictures)


def picture(doc: Document, marked: Sequence[Cell], caption: str = "") -> Image.Image:
    """The source of the marked cells: a PDF's rendered page region, else the document's own grid."""
    if doc.format == "pdf" and any(c.box is not None for c in marked):
        return page_picture(doc, marked, caption or doc.path.name)
    return grid_picture(doc, marked, caption)


"""`debug.overlay` and `govstats show`: pictures of what the reader found, from the command line too."""

from __future__ import annotations

from helpers import CORPUS
from PIL import Image

from govstats import cli
from govstats.debug import ROLE_COLORS, RULING, TABLE, overlay
from govstats.documents import pictures

HUAIAN = CORPUS / "huaian-shizhengfu-2024.pdf"


def _colours(image: Image.Image) -> set:
    return set(image.get_flattened_data())


def test_the_overlay_draws_rulings_tables_and_each_cells_role():
    image = overlay(HUAIAN, 4)
    page = pictures.render_page(HUAIAN, 4)
    assert image.width == page.width and image.height > page.height  # the page, then the legend
    seen = _colours(image.crop((0, 0, page.width, page.height)))
    assert {RULING, TABLE, ROLE_COLORS["value"], ROLE_COLORS["label"], ROLE_COLORS["header"]} <= seen
    assert not {RULING, TABLE} & _colours(page)  # drawn, not printed


def test_an_overlay_needs_a_pdf_page(write, capsys):
    assert cli.main(["show", str(HUAIAN), "--overlay", "9", "-o", "x.png"]) == 2
    assert "has no PDF page 9 to draw" in capsys.readouterr().err


def test_show_on_the_command_line_writes_the_picture(tmp_path, capsys):
    out = tmp_path / "v.png"
    assert cli.main(["show", str(HUAIAN), "requests.new_received.total", "-o", str(out)]) == 0
    image = Image.open(out)
    assert pictures.OUTLINE in _colours(image.convert("RGB"))
    assert f"wrote {out}" in capsys.readouterr().out
    assert cli.main(["show", str(HUAIAN), "requests.nowhere", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no value at requests.nowhere" in err and "govstats explain" in err

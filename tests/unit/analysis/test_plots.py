"""Every plot renders to PNG with its Chinese in the bundled font: no missing glyph, no tofu."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pylopdf_fonts_zh_cn
import pytest
from matplotlib import font_manager

from govstats.analysis import harmonised_series, labels, plots
from govstats.analysis import measures as analysis
from govstats.report import read_report
from govstats.testing import synthetic

AGENCIES = ("杭州市拱墅区人民政府", "淮安市人民政府", "湖滨街道办事处")


@pytest.fixture(scope="module")
def cells(tmp_path_factory) -> pd.DataFrame:
    """Synthetic reports of three agencies over 2019–2024, read back like real ones (2019 and 2021 templates)."""
    root = tmp_path_factory.mktemp("reports")
    frames = []
    for i, agency in enumerate(AGENCIES):
        for year in range(2019, 2025):
            rep = synthetic.make_report(seed=10 * i + year, agency=agency, year=year, scale=20 + 10 * i)
            path = root / f"{i}-{year}.html"
            path.write_text(synthetic.render_html(rep), "utf-8")
            frames.append(read_report(path).cells)
    return pd.concat(frames, ignore_index=True)


def save(fig, path: Path) -> Path:
    """savefig with every warning an error: a missing glyph fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(path, dpi=72)
    plt.close(fig)
    assert path.stat().st_size > 1000
    return path


def figures(cells: pd.DataFrame, synthetic: bool):
    m = analysis.metrics(cells, by="agency_year")
    yield "trend", plots.trend(m, list(AGENCIES[:2]), "received", synthetic=synthetic)
    yield "trend_rate", plots.trend(m, None, "disclosure_rate", synthetic=synthetic)
    yield "composition", plots.outcome_composition(analysis.outcomes(cells, by="agency_year").query("year == 2022"),
                                                   synthetic=synthetic)
    yield "composition_years", plots.outcome_composition(
        analysis.outcomes(cells, by="agency_year").query("agency == @AGENCIES[0]"), synthetic=synthetic)
    yield "correction", plots.correction_rates(m[m["year"] == 2023], synthetic=synthetic)
    yield "heatmap", plots.heatmap(m, "disclosure_rate", synthetic=synthetic)
    yield "heatmap_counts", plots.heatmap(m, "received", synthetic=synthetic)
    yield "reasons", plots.reasons(analysis.reasons(cells, "denied"), synthetic=synthetic)
    series = harmonised_series(cells[cells["agency"] == AGENCIES[0]], "requests")
    yield "harmonised", plots.harmonised(series, synthetic=synthetic)


@pytest.mark.parametrize("synth", [True, False])
def test_every_plot_renders_chinese_without_missing_glyphs(cells, tmp_path, synth):
    for name, fig in figures(cells, synth):
        title = fig.axes[0].get_title()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in title), name
        assert title.endswith(labels.PLOT_LABELS["synthetic"]) == synth, name
        save(fig, tmp_path / f"{name}.png")


def test_chinese_is_set_in_the_packaged_font():
    name = plots.cjk_font()
    assert plt.rcParams["font.sans-serif"][0] == name
    found = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]), fallback_to_default=False)
    assert Path(found) == Path(pylopdf_fonts_zh_cn.sans_path())


def test_the_glyph_check_would_catch_tofu(tmp_path):
    """Without the packaged font first, matplotlib warns about the missing glyphs: the check above can fail."""
    with plt.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title(labels.PLOT_LABELS["composition"])
        with pytest.raises(UserWarning, match="[Gg]lyph"):
            save(fig, tmp_path / "tofu.png")
    plt.close("all")


def test_heatmap_leaves_missing_values_blank(cells, tmp_path):
    m = analysis.metrics(cells, by="agency_year")
    m = m[~((m["agency"] == AGENCIES[0]) & (m["year"] == 2020))]
    fig = plots.heatmap(m, "received")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) == len(AGENCIES) * 6 - 1
    save(fig, tmp_path / "gap.png")

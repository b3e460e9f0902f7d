"""Matplotlib figures of the analysis frames, with Chinese that renders on any machine.

Chinese text needs a CJK font, and a fresh pip install has none that matplotlib would pick:
the package depends on `pylopdf-fonts-zh-cn`, which ships Noto Sans SC, and registers it
here, first in the sans-serif list (DejaVu Sans stays behind it for the odd symbol).
Every figure's title says （含合成数据） when the data includes synthetic reports: by default when the
frame's `synthetic` column (metrics of `Dataset.panel` carry it) marks a row; `synthetic=` overrides.

Each function takes a frame from `govstats.analysis` and returns the Figure; pass `ax` to
draw into an existing one.
"""

from __future__ import annotations

import functools
from typing import cast

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pylopdf_fonts_zh_cn
from matplotlib import color_sequences, font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from .. import schema
from .harmonised import BREAK_YEAR
from .labels import MEASURE_LABELS, METRIC_LABELS, PLOT_LABELS
from .measures import GROUPS, any_synthetic, is_rate, pivot, reason_label

L = PLOT_LABELS


@functools.cache
def _register_font() -> str:
    path = str(pylopdf_fonts_zh_cn.sans_path())
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def cjk_font() -> str:
    """Register the bundled Noto Sans SC with matplotlib and put it first (again, if rc was reset); its family name."""
    name = _register_font()
    rest = [f for f in plt.rcParams["font.sans-serif"] if f != name]
    plt.rcParams["font.sans-serif"] = [name, *rest]
    plt.rcParams["font.family"] = "sans-serif"
    return name


def _axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    cjk_font()
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    return fig, ax


def _title(ax: Axes, text: str, frame: pd.DataFrame, synthetic: bool | None) -> None:
    """The title, marked （含合成数据） when `synthetic` says so or, by default, when the frame's own
    `synthetic` column (metrics of a panel carry it) marks any row."""
    if synthetic is None:
        synthetic = "synthetic" in frame.columns and any_synthetic(frame)
    ax.set_title(text + (L["synthetic"] if synthetic else ""))


def _label(frame: pd.DataFrame, metric: str) -> str:
    labels = frame.loc[frame["metric"] == metric, "label"]
    return str(labels.iloc[0]) if len(labels) else METRIC_LABELS.get(metric, metric)


def _units(frame: pd.DataFrame) -> pd.Series:
    """A display name per row: the agency, with the year when the frame spans several years."""
    several_years = frame["year"].nunique() > 1
    names = frame["agency"].fillna("?").astype(str)
    return names + (" " + frame["year"].astype("string").fillna("?") if several_years else "")


def trend(frame: pd.DataFrame, agencies: list[str] | None = None, metric: str = "received", *,
          synthetic: bool | None = None, ax: Axes | None = None) -> Figure:
    """One line per agency over the years (frame: `analysis.metrics(cells, by="agency_year")`)."""
    fig, ax = _axes(ax, (8, 4.5))
    sub = frame[frame["metric"] == metric]
    if agencies is not None:
        sub = sub[sub["agency"].isin(agencies)]
    table = sub.pivot(index="year", columns="agency", values="value").sort_index()
    for agency in table.columns:
        ax.plot(table.index.astype(int), table[agency], marker="o", label=agency)
    ax.set_xlabel(L["year"])
    ax.set_ylabel(_label(frame, metric))
    # a line plot's default locator is an AutoLocator (a MaxNLocator); the stubs type it as the base Locator
    cast(MaxNLocator, ax.xaxis.get_major_locator()).set_params(integer=True)
    if is_rate(metric):
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    if len(table.columns):
        ax.legend(fontsize="small")
    _title(ax, L["trend"].format(metric=_label(frame, metric)), frame, synthetic)
    return fig


def outcome_composition(frame: pd.DataFrame, *, synthetic: bool | None = None, ax: Axes | None = None) -> Figure:
    """Stacked bars: each unit's （七）总计 split into the outcome groups (frame: `analysis.outcomes`)."""
    table = frame.assign(unit=_units(frame)).pivot(index="unit", columns="metric", values="value")
    table = table.reindex(columns=list(GROUPS))
    fig, ax = _axes(ax, (9, 1.2 + 0.45 * max(len(table), 1)))
    left = np.zeros(len(table))
    colors = color_sequences["tab10"]
    for i, group in enumerate(table.columns):
        share = table[group].fillna(0).to_numpy()
        ax.barh(table.index, share, left=left, color=colors[i], label=schema.OUTCOME_GROUPS[group][0])
        left += share
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(L["share"])
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=len(table.columns),
               fontsize="small", frameon=False)
    _title(ax, L["composition"], frame, synthetic)
    return fig


def correction_rates(frame: pd.DataFrame, *, synthetic: bool | None = None, ax: Axes | None = None) -> Figure:
    """Side-by-side 行政复议 / 行政诉讼 correction rates per unit, with n = settled cases on each bar."""
    metrics = ["review_correction_rate", "litigation_correction_rate"]
    sub = frame[frame["metric"].isin(metrics)].assign(unit=lambda d: _units(d))
    values = sub.pivot(index="unit", columns="metric", values="value").reindex(columns=metrics)
    settled = sub.pivot(index="unit", columns="metric", values="denominator").reindex(columns=metrics)
    fig, ax = _axes(ax, (max(6, 1 + 1.1 * len(values)), 4.5))
    x = np.arange(len(values))
    width = 0.4
    for i, metric in enumerate(metrics):
        bars = ax.bar(x + (i - 0.5) * width, values[metric].fillna(0), width, label=_label(frame, metric))
        ax.bar_label(bars, labels=[f"n={n:g}" if pd.notna(n) else "–" for n in settled[metric]], fontsize="x-small")
    ax.set_xticks(x, values.index, rotation=30, ha="right")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.legend(fontsize="small")
    _title(ax, L["correction"], frame, synthetic)
    return fig


def heatmap(frame: pd.DataFrame, metric: str, *, synthetic: bool | None = None, ax: Axes | None = None) -> Figure:
    """Agency × year grid of one metric, each cell annotated; blank where there is no value."""
    table = pivot(frame, metric)
    values = table.to_numpy(dtype=float)
    fig, ax = _axes(ax, (1.5 + 0.9 * max(len(table.columns), 1), 1.2 + 0.45 * max(len(table), 1)))
    image = ax.imshow(np.ma.masked_invalid(values), aspect="auto", cmap="YlGnBu")
    rate = is_rate(metric)
    for (i, j), v in np.ndenumerate(values):
        if not np.isnan(v):
            # white on the dark end of the colour map; the stubs type norm() of a scalar as an array
            dark = cast(float, image.norm(v)) > 0.6
            ax.text(j, i, f"{v:.0%}" if rate else f"{v:g}", ha="center", va="center", fontsize="x-small",
                    color="white" if dark else "black")
    ax.set_xticks(range(len(table.columns)), [str(y) for y in table.columns])
    ax.set_yticks(range(len(table.index)), table.index)
    ax.set_xlabel(L["year"])
    bar = fig.colorbar(image, ax=ax)
    if rate:
        bar.formatter = PercentFormatter(1.0, decimals=0)
    _title(ax, L["heatmap"].format(metric=_label(frame, metric)), frame, synthetic)
    return fig


def reasons(frame: pd.DataFrame, *, synthetic: bool | None = None, ax: Axes | None = None) -> Figure:
    """Counts per reason of one outcome group, summed over the frame's units (frame: `analysis.reasons`)."""
    counts = frame.groupby("metric", sort=False)["numerator"].sum(min_count=1)
    fig, ax = _axes(ax, (8, 1.2 + 0.45 * max(len(counts), 1)))
    ax.barh([reason_label(m) for m in counts.index], counts.fillna(0))
    ax.invert_yaxis()
    ax.set_xlabel(L["count"])
    group = next((g for g, rows in GROUPS.items() if set(counts.index) <= set(rows)), None)
    _title(ax, L["reasons"].format(group=schema.OUTCOME_GROUPS[group][0] if group else ""), frame, synthetic)
    return fig


def harmonised(series: pd.DataFrame, *, synthetic: bool | None = None, ax: Axes | None = None) -> Figure:
    """A harmonised series across 2019 (`analysis.harmonised.harmonised_series`): legacy years dashed,
    national ones solid, one line per agency, and the definition break marked at 2019."""
    fig, ax = _axes(ax, (8, 4.5))
    measure = str(series["measure"].iloc[0]) if len(series) else ""
    for agency, rows in series.groupby("agency_id", sort=True, observed=True):
        for basis, style, words in (("legacy", "--", L["legacy_basis"]), ("national", "-", L["national_basis"])):
            part = rows[rows["basis"] == basis].dropna(subset=["value"])
            ax.plot(part["year"].astype(int), part["value"], style, marker="o", label=f"{agency} {words}")
    ax.axvline(BREAK_YEAR - 0.5, color="grey", linestyle=":")
    ax.annotate(L["definition_break"], (BREAK_YEAR - 0.5, 1), xycoords=("data", "axes fraction"),
                ha="center", va="bottom", fontsize="small", color="grey")
    ax.set_xlabel(L["year"])
    ax.set_ylabel(MEASURE_LABELS.get(measure, measure))
    cast(MaxNLocator, ax.xaxis.get_major_locator()).set_params(integer=True)
    ax.legend(fontsize="small")
    _title(ax, L["harmonised"].format(measure=MEASURE_LABELS.get(measure, measure)), series, synthetic)
    return fig

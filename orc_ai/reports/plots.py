"""The report's plots as PNG bytes: matplotlib's Agg canvas, no pyplot state, byte-for-byte reproducible."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import polars as pl

from orc_ai.reports.models import GROWTH_SCHEMA, Plot

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_DPI = 100
_COLOURS = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3", "#8C8C8C"]
_GROWTH_SERIES = [c for c in GROWTH_SCHEMA if c != "materialised_at"]


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # no Software/date chunks: the same data gives the same bytes, so the report's digest is stable
    figure.savefig(buffer, format="png", dpi=_DPI, metadata={"Software": None})
    return buffer.getvalue()


def decisions_plot(by_type_and_status: dict[str, dict[str, int]]) -> Plot | None:
    """Stacked bars: decisions per event type, coloured by status. None when there are no decisions."""
    if not by_type_and_status:
        return None
    types = sorted(by_type_and_status)
    statuses = sorted({s for counts in by_type_and_status.values() for s in counts})
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 3.5))
    axes = figure.add_subplot()
    bottom = [0] * len(types)
    for i, status in enumerate(statuses):
        heights = [by_type_and_status[t].get(status, 0) for t in types]
        axes.bar(types, heights, bottom=bottom, label=status, color=_COLOURS[i % len(_COLOURS)])
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_ylabel("decisions")
    axes.set_title("Decisions by event type and status")
    axes.legend(fontsize="small")
    axes.yaxis.get_major_locator().set_params(integer=True)
    figure.tight_layout()
    return Plot(name="decisions.png", title="Decisions by event type and status", png=_png(figure))


def _size_bins(largest: int) -> list[tuple[int, int]]:
    """Powers of two: 1, 2-3, 4-7, ... up to the largest size (a real hierarchy has dozens of distinct sizes)."""
    bins, low = [], 1
    while low <= largest:
        bins.append((low, 2 * low - 1))
        low *= 2
    return bins


def community_sizes_plot(communities: pl.DataFrame) -> Plot | None:
    """Grouped bars: how many communities fall in each size range, per hierarchy level. None for an empty table."""
    if communities.is_empty():
        return None
    levels = sorted(communities["level"].unique().to_list())
    bins = _size_bins(int(communities["size"].max()))
    width = 0.8 / len(levels)
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 3.5))
    axes = figure.add_subplot()
    for i, level in enumerate(levels):
        sizes = communities.filter(pl.col("level") == level)["size"]
        heights = [int(sizes.is_between(low, high).sum()) for low, high in bins]
        xs = [j + (i - (len(levels) - 1) / 2) * width for j in range(len(bins))]
        axes.bar(xs, heights, width=width, label=f"level {level}", color=_COLOURS[i % len(_COLOURS)])
    axes.set_xticks(range(len(bins)), [str(low) if low == high else f"{low}–{high}" for low, high in bins])
    axes.set_xlabel("entities in the community")
    axes.set_ylabel("communities")
    axes.set_title("Community sizes")
    axes.legend(fontsize="small")
    axes.yaxis.get_major_locator().set_params(integer=True)
    figure.tight_layout()
    return Plot(name="community_sizes.png", title="Community sizes", png=_png(figure))


def graph_growth_plot(growth: pl.DataFrame) -> Plot | None:
    """Node and link counts after each neo4j_graph materialisation. None for an empty history."""
    if growth.is_empty():
        return None
    growth = growth.sort("materialised_at")
    xs = list(range(1, growth.height + 1))
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 3.5))
    axes = figure.add_subplot()
    for i, series in enumerate(_GROWTH_SERIES):
        axes.plot(xs, growth[series].fill_null(0).to_list(), marker="o", label=series, color=_COLOURS[i])
    axes.set_xticks(xs, [t.strftime("%m-%d %H:%M") for t in growth["materialised_at"]], rotation=30, fontsize=7)
    axes.set_xlabel("neo4j_graph materialisation (UTC)")
    axes.set_yscale("symlog", linthresh=10)  # documents and relations differ by orders of magnitude
    axes.set_ylabel("count")
    axes.set_title("Graph growth")
    axes.legend(fontsize="small")
    figure.tight_layout()
    return Plot(name="graph_growth.png", title="Graph growth", png=_png(figure))

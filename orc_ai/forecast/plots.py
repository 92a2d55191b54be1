"""Figures logged with a forecast run: forecast bands of the busiest series and backtest coverage per series."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import polars as pl

from orc_ai.forecast.series import series_id


def _pyplot() -> ModuleType:
    """pyplot on the Agg backend (files only, no display), imported on first use: matplotlib is slow to import."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_forecast_bands(history: pl.DataFrame, forecasts: pl.DataFrame, path: Path, *, top: int) -> Path:
    """History and forecast with its interval for the ``top`` series with the most tries."""
    busiest = (
        history.group_by("dag_id", "task_id")
        .agg(pl.col("tries").sum())
        .sort("tries", "dag_id", descending=[True, False])
        .head(top)
    )
    n = max(1, busiest.height)
    plt = _pyplot()
    fig, axes = plt.subplots(n, 1, figsize=(8, 2.2 * n), squeeze=False)
    for ax, (dag_id, task_id, _) in zip(axes[:, 0], busiest.iter_rows(), strict=False):
        match = (pl.col("dag_id") == dag_id) & (pl.col("task_id").eq_missing(task_id))
        h, f = history.filter(match), forecasts.filter(match)
        ax.plot(h["ds"].to_list(), h["y"].to_list(), ".-", lw=0.8, label="observed")
        days = [d.date() for d in f["forecast_for"].to_list()]
        ax.plot(days, f["predicted"].to_list(), "-", label="forecast")
        ax.fill_between(days, f["lower"].to_list(), f["upper"].to_list(), alpha=0.3, label="80% interval")
        if f.height:
            ax.axhline(f["threshold"][0], color="red", lw=0.8, ls="--", label="threshold")
        ax.set_title(f"{series_id(dag_id, task_id)} ({f['method'][0] if f.height else 'no forecast'})", fontsize=9)
        ax.tick_params(labelsize=7)
    axes[0, 0].legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def plot_backtest_coverage(backtests: pl.DataFrame, path: Path, *, nominal: float) -> Path:
    """Histogram of per-series backtest coverage of the interval, with the nominal level marked."""
    coverage = backtests.filter(pl.col("coverage").is_not_nan())["coverage"].to_list()
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(coverage, bins=20, range=(0, 1))
    ax.axvline(nominal, color="red", ls="--", label=f"nominal {nominal:.0%}")
    ax.set_xlabel("backtest coverage of the interval (per series)")
    ax.set_ylabel("series")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path

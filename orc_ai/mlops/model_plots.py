"""One figure per non-forecast model, logged with its MLflow version under ``plots/``: the failure categories'
sizes, the run anomalies over the history, and the synthetic history's columns beside the real ones.

matplotlib ``Figure`` objects (the Agg canvas, no pyplot state); ``to_png`` renders one without a date chunk, so
the same inputs give the same bytes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_DPI = 100
_REAL, _SYNTHETIC, _FLAGGED, _QUIET = "#4C72B0", "#DD8452", "#C44E52", "#B0B0B0"
_LABEL_CHARS = 48


def to_png(figure: Figure) -> bytes:
    """The figure as PNG bytes (no date chunk: the same figure gives the same bytes)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, metadata={"Software": None})
    return buffer.getvalue()


def _short(text: str | None, limit: int = _LABEL_CHARS) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cluster_sizes_figure(categories: pl.DataFrame, *, top: int = 15) -> Figure:
    """Horizontal bars: failed tries per failure category (``failure_log_clusters``), largest first, labelled by
    template; the categories past ``top`` are summed into one bar."""
    ordered = categories.sort("count", "cluster_id", descending=[True, False])
    labels = [f"{_short(t)}" for t in ordered.head(top)["template"].to_list()]
    counts = ordered.head(top)["count"].to_list()
    if ordered.height > top:
        labels.append(f"({ordered.height - top} other categories)")
        counts.append(int(ordered.tail(ordered.height - top)["count"].sum()))
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 1.2 + 0.35 * max(1, len(labels))))
    axes = figure.add_subplot()
    if labels:
        positions = np.arange(len(labels))
        axes.barh(positions, counts, color=_REAL)
        axes.set_yticks(positions, labels, fontsize="small")
        axes.invert_yaxis()
    else:
        axes.text(0.5, 0.5, "no failed tries", ha="center", va="center", transform=axes.transAxes)
    axes.set_xlabel("failed tries")
    axes.set_title(f"Failure categories ({categories.height}) by size")
    figure.tight_layout()
    return figure


def anomaly_scores_figure(task_runs: pl.DataFrame, anomalies: pl.DataFrame) -> Figure:
    """Every try's duration over time (``airflow_task_runs``), with the tries ``run_anomalies`` flagged drawn on
    top, coloured by their score."""
    tries = task_runs.filter(pl.col("start_date").is_not_null() & (pl.col("duration_s") > 0))
    flagged = anomalies.filter(pl.col("start_date").is_not_null() & (pl.col("duration_s") > 0))
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 4))
    axes = figure.add_subplot()
    axes.scatter(tries["start_date"].to_list(), tries["duration_s"].to_list(), s=6, color=_QUIET,
                 label=f"tries ({tries.height})")  # fmt: skip
    if flagged.height:
        shown = axes.scatter(
            flagged["start_date"].to_list(), flagged["duration_s"].to_list(), s=24, c=flagged["score"].to_list(),
            cmap="Reds", vmin=0.0, vmax=1.0, edgecolors=_FLAGGED, linewidths=0.6, label=f"flagged ({flagged.height})",
        )  # fmt: skip
        figure.colorbar(shown, ax=axes, label="anomaly score")
    if tries.height:
        axes.set_yscale("log")
    axes.set_ylabel("duration (s)")
    axes.set_title("Run anomalies: try durations, flagged tries by score")
    axes.legend(fontsize="small", loc="upper left")
    figure.autofmt_xdate()
    figure.tight_layout()
    return figure


def _shares(frame: pl.DataFrame, column: str) -> dict[str, float]:
    if not frame.height:
        return {}
    counts = frame.select(pl.col(column).cast(pl.String).fill_null("(none)")).to_series().value_counts()
    return {str(k): n / frame.height for k, n in counts.iter_rows()}


def _bars(axes, real: pl.DataFrame, synthetic: pl.DataFrame, column: str, top: int = 8) -> None:
    shares = _shares(real, column), _shares(synthetic, column)
    keys = sorted(set(shares[0]) | set(shares[1]), key=lambda k: (-shares[0].get(k, 0.0), k))[:top]
    positions = np.arange(len(keys))
    axes.bar(positions - 0.2, [shares[0].get(k, 0.0) for k in keys], 0.4, color=_REAL, label="real")
    axes.bar(positions + 0.2, [shares[1].get(k, 0.0) for k in keys], 0.4, color=_SYNTHETIC, label="synthetic")
    axes.set_xticks(positions, keys, rotation=30, ha="right", fontsize="small")
    axes.set_ylabel("share of tries")
    axes.set_title(column)


def synthetic_columns_figure(real: pl.DataFrame, synthetic: pl.DataFrame) -> Figure:
    """Real beside synthetic (``synthetic_task_runs``) distributions: try duration (log-spaced histogram), state
    and try number (shares of tries)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(12, 3.8))
    duration, state, try_number = figure.subplots(1, 3)
    values = [f.filter(pl.col("duration_s") > 0)["duration_s"].to_numpy() for f in (real, synthetic)]
    both = np.concatenate(values)
    if both.size:
        edges = np.geomspace(both.min(), max(both.max(), both.min() * 1.01), 30)
        for data, colour, label in zip(values, (_REAL, _SYNTHETIC), ("real", "synthetic"), strict=True):
            weights = np.full(data.size, 1 / data.size) if data.size else None
            duration.hist(data, bins=edges, weights=weights, alpha=0.55, color=colour, label=label)
        duration.set_xscale("log")
    duration.set_xlabel("duration (s)")
    duration.set_ylabel("share of tries")
    duration.set_title("duration_s")
    duration.legend(fontsize="small")
    _bars(state, real, synthetic, "state")
    _bars(try_number, real, synthetic, "try_number")
    figure.suptitle(f"Synthetic ({synthetic.height} tries) vs real ({real.height} tries)")
    figure.tight_layout()
    return figure

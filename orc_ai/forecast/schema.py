"""The forecast tables (``task_duration_forecast``, ``failure_forecast``): one row per series and target time.

A series is one DAG's task (``task_id`` set) or a whole DAG (``task_id`` null). ``metric`` is ``duration_s``
(seconds per successful try) or ``failure_rate`` (share of tries that fail, 0..1). ``lower``/``upper`` bound the
80 % interval. ``at_risk`` marks a target whose forecast breaches ``threshold``; ``risk`` (0..1) says how far.
``method`` is ``prophet`` or the fallback used for short series; ``model_name``/``model_version`` name the MLflow
registered model version that made the row.
"""

from __future__ import annotations

import polars as pl

DURATION_FORECAST_TABLE = "task_duration_forecast"
FAILURE_FORECAST_TABLE = "failure_forecast"
METRICS = ("duration_s", "failure_rate")
SERIES_KEY = ("dag_id", "task_id", "metric")
FORECAST_SCHEMA: dict[str, pl.DataType] = {
    "dag_id": pl.String(),
    "task_id": pl.String(),
    "metric": pl.String(),
    "forecast_at": pl.Datetime("us", "UTC"),
    "forecast_for": pl.Datetime("us", "UTC"),
    "horizon": pl.String(),  # e.g. "1d": forecast_for - last observed period
    "predicted": pl.Float64(),
    "lower": pl.Float64(),
    "upper": pl.Float64(),
    "threshold": pl.Float64(),
    "at_risk": pl.Boolean(),
    "risk": pl.Float64(),
    "method": pl.String(),
    "model_name": pl.String(),
    "model_version": pl.String(),
}


def empty_forecasts() -> pl.DataFrame:
    """A forecast table with no rows."""
    return pl.DataFrame(schema=FORECAST_SCHEMA)


def forecast_table(*tables: pl.DataFrame | None) -> pl.DataFrame | None:
    """The forecast tables that exist, as one table (None when none does)."""
    present = [t.select(list(FORECAST_SCHEMA)) for t in tables if t is not None]
    return pl.concat(present) if present else None

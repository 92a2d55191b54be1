"""The Prophet-interval detector: a successful try whose duration falls outside its day's forecast interval.

The ``task_duration_forecast`` table (FORECAST_SCHEMA) holds, per task and target day (``forecast_for``, midnight
UTC), a predicted duration of a successful try with its 80 % interval ``[lower, upper]``. A try is judged when its
task has such a row for the UTC day it started (the newest ``forecast_at`` wins if several forecasts cover that
day); tries without one are not judged and are counted. Failed tries are not judged: the forecast is of successful
tries' durations.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from orc_ai.errors import OrcAIError
from orc_ai.forecast.schema import FORECAST_SCHEMA
from orc_ai.taskruns.schema import TRY_KEY

PROPHET_INTERVAL = "prophet_interval"
_FLAG_SCHEMA = {"score": pl.Float64(), "reason": pl.String()}


class ForecastInputError(OrcAIError):
    """The duration forecast table lacks FORECAST_SCHEMA columns; the message names them."""


@dataclass(frozen=True)
class IntervalFlags:
    """Flagged tries (TRY_KEY, score, reason) and how many tries had a forecast interval for their day."""

    table: pl.DataFrame
    judged: int


def _day_intervals(forecasts: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in FORECAST_SCHEMA if c not in forecasts.columns]
    if missing:
        raise ForecastInputError(f"task_duration_forecast is missing column(s) {missing} of FORECAST_SCHEMA")
    rows = forecasts.select(list(FORECAST_SCHEMA)).cast(FORECAST_SCHEMA)
    rows = rows.filter(
        (pl.col("metric") == "duration_s")
        & pl.col("task_id").is_not_null()
        & pl.col("lower").is_not_null()
        & pl.col("upper").is_not_null()
        & pl.col("forecast_for").is_not_null()
    )
    return (
        rows.sort("forecast_at", nulls_last=False)
        .unique(["dag_id", "task_id", "forecast_for"], keep="last", maintain_order=True)
        .select("dag_id", "task_id", "forecast_for", "lower", "upper", "method", "model_name", "model_version")
    )


def interval_flags(tries: pl.DataFrame, forecasts: pl.DataFrame) -> IntervalFlags:
    """Tries (conformed TASK_RUNS_SCHEMA rows with a duration) outside their day's duration interval."""
    judged = (
        tries.filter(pl.col("state") == "success")
        .with_columns(pl.col("start_date").dt.truncate("1d").alias("forecast_for"))
        .join(_day_intervals(forecasts), on=["dag_id", "task_id", "forecast_for"], how="inner")
    )
    half_width = ((pl.col("upper") - pl.col("lower")) / 2).clip(lower_bound=0)
    excess = pl.max_horizontal(pl.col("duration_s") - pl.col("upper"), pl.col("lower") - pl.col("duration_s"))
    outside = judged.with_columns(excess.alias("excess"), half_width.alias("half_width")).filter(pl.col("excess") > 0)
    rows = []
    for row in outside.iter_rows(named=True):
        side = "above" if row["duration_s"] > row["upper"] else "below"
        width = row["half_width"]
        rows.append(
            {
                **{k: row[k] for k in TRY_KEY},
                "score": row["excess"] / (row["excess"] + width) if width > 0 else 1.0,
                "reason": f"{PROPHET_INTERVAL}: duration {row['duration_s']:.1f}s {side} the forecast interval "
                f"[{row['lower']:.1f}s, {row['upper']:.1f}s] for {row['forecast_for']:%Y-%m-%d} "
                f"({row['method']}, {row['model_name']} v{row['model_version']})",
            }
        )
    schema = {**{k: tries.schema[k] for k in TRY_KEY}, **_FLAG_SCHEMA}
    return IntervalFlags(table=pl.DataFrame(rows, schema=schema), judged=judged.height)

"""What makes a forecast table usable by the agent and the KPIs: its problems, listed."""

from __future__ import annotations

import polars as pl

from orc_ai.forecast.schema import FORECAST_SCHEMA, METRICS

_EXAMPLES = 3


def _examples(rows: pl.DataFrame) -> list[str]:
    return [f"{d}.{t} {m} for {f}" for d, t, m, f in rows.select("dag_id", "task_id", "metric", "forecast_for")
            .head(_EXAMPLES).rows()]


def forecast_problems(frame: pl.DataFrame, metric: str) -> list[str]:
    """Every way ``frame`` breaks the forecast contract: schema, its one metric, finite values with
    lower <= predicted <= upper, failure rates within [0, 1], one row per series and target. Empty when sound."""
    if dict(frame.schema) != FORECAST_SCHEMA:
        return [f"schema differs from FORECAST_SCHEMA: {dict(frame.schema)}"]
    problems = []
    if metric not in METRICS or frame.filter(pl.col("metric") != metric).height:
        problems.append(f"rows of another metric than {metric!r}")
    values = ("predicted", "lower", "upper")
    broken = frame.filter(pl.any_horizontal([pl.col(c).is_null() | ~pl.col(c).is_finite() for c in values]))
    if broken.height:
        problems.append(f"{broken.height} rows with a missing or non-finite value, e.g. {_examples(broken)}")
    unordered = frame.filter((pl.col("lower") > pl.col("predicted")) | (pl.col("predicted") > pl.col("upper")))
    if unordered.height:
        problems.append(f"{unordered.height} rows where lower <= predicted <= upper fails, e.g. {_examples(unordered)}")
    if metric == "failure_rate":
        outside = frame.filter(pl.any_horizontal([(pl.col(c) < 0) | (pl.col(c) > 1) for c in values]))
        if outside.height:
            problems.append(f"{outside.height} failure rates outside [0, 1], e.g. {_examples(outside)}")
    repeated = frame.filter(pl.struct("dag_id", "task_id", "metric", "forecast_for").is_duplicated())
    if repeated.height:
        problems.append(f"{repeated.height} rows repeat a series and target, e.g. {_examples(repeated)}")
    return problems

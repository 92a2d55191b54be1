"""Gates on the forecast tables: the agent's events and the KPIs read only sound forecasts."""

import dagster as dg
import polars as pl

from orc_ai.forecast.quality import forecast_problems


def _result(frame: pl.DataFrame, metric: str) -> dg.AssetCheckResult:
    problems = forecast_problems(frame, metric)
    return dg.AssetCheckResult(passed=not problems, metadata={"problems": problems, "rows": frame.height})


@dg.asset_check(asset="failure_forecast", blocking=True)
def failure_forecast_valid(failure_forecast: pl.DataFrame) -> dg.AssetCheckResult:
    """Finite rates in [0, 1], lower <= predicted <= upper, one row per series and target."""
    return _result(failure_forecast, "failure_rate")


@dg.asset_check(asset="task_duration_forecast", blocking=True)
def task_duration_forecast_valid(task_duration_forecast: pl.DataFrame) -> dg.AssetCheckResult:
    """Finite durations, lower <= predicted <= upper, one row per series and target."""
    return _result(task_duration_forecast, "duration_s")

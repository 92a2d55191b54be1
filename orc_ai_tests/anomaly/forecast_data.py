"""Duration forecast rows (FORECAST_SCHEMA) for the small history of task_runs_data: one task, a few days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl

from orc_ai.forecast.schema import FORECAST_SCHEMA

FIRST_DAY = datetime(2026, 9, 1, tzinfo=UTC)  # task_runs_data's day 0


def duration_forecast(task: tuple[str, str], days: range, lower: float, upper: float) -> pl.DataFrame:
    """One ``duration_s`` row per day of ``days`` for ``task`` with the interval [lower, upper]."""
    dag_id, task_id = task
    rows = [
        {"dag_id": dag_id, "task_id": task_id, "metric": "duration_s", "forecast_at": FIRST_DAY + timedelta(days=60),
         "forecast_for": FIRST_DAY + timedelta(days=day), "horizon": f"{day - 60}d", "predicted": (lower + upper) / 2,
         "lower": lower, "upper": upper, "threshold": None, "at_risk": False, "risk": 0.0, "method": "prophet",
         "model_name": "orc_ai_task_duration_forecast", "model_version": "1"}
        for day in days
    ]
    return pl.DataFrame(rows, schema=FORECAST_SCHEMA)

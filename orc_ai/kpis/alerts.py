"""Alert precision and recall of failure forecasts against the failures that followed.

Each forecast row of metric ``failure_rate`` (the latest one per series and ``forecast_for``) is a prediction for
its window ``[forecast_for, forecast_for + window)``: an alert when ``at_risk``. The outcome is a failure when a
try of that series (the DAG's task, or any task of the DAG for a DAG series with null task_id) failed inside the
window (by its end, else its start). Windows that end after the last observed try are pending and not judged.
precision = alerts followed by a failure / alerts; recall = failed windows that had an alert / failed windows.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from orc_ai.forecast.schema import FORECAST_SCHEMA
from orc_ai.kpis.reliability import FAILED_STATES

JUDGED_SCHEMA: dict[str, pl.DataType] = {
    "dag_id": pl.String(),
    "task_id": pl.String(),
    "forecast_for": pl.Datetime("us", "UTC"),
    "at_risk": pl.Boolean(),
    "failed": pl.Boolean(),
}


def judge_forecasts(forecasts: pl.DataFrame, task_runs: pl.DataFrame, window: timedelta) -> tuple[pl.DataFrame, int]:
    """The judged forecast windows (JUDGED_SCHEMA) and how many windows are still pending."""
    forecasts = forecasts.select(list(FORECAST_SCHEMA)).filter(pl.col("metric") == "failure_rate")
    forecasts = forecasts.sort("forecast_at").unique(["dag_id", "task_id", "forecast_for"], keep="last")
    at = pl.coalesce("end_date", "start_date")
    observed_until = task_runs.select(pl.max_horizontal(pl.col("end_date").max(), pl.col("start_date").max())).item()
    ends = pl.col("forecast_for") + window
    judged = forecasts.filter(ends <= observed_until) if observed_until is not None else forecasts.clear()
    pending = forecasts.height - judged.height
    failures = task_runs.filter(pl.col("state").is_in(FAILED_STATES) & at.is_not_null()).select(
        "dag_id", "task_id", at.alias("failed_at")
    )
    windows = judged.select("dag_id", "task_id", "forecast_for", pl.col("at_risk").fill_null(False)).with_row_index()
    hits = windows.join(failures, on="dag_id", how="inner", suffix="_run").filter(
        (pl.col("task_id").is_null() | (pl.col("task_id") == pl.col("task_id_run")))
        & (pl.col("failed_at") >= pl.col("forecast_for"))
        & (pl.col("failed_at") < pl.col("forecast_for") + window)
    )
    failed = pl.col("index").is_in(hits["index"].implode())
    return windows.with_columns(failed.alias("failed")).select(list(JUDGED_SCHEMA)), pending


def alert_scores(judged: pl.DataFrame) -> dict[str, float | int | str | None]:
    """Precision and recall of judged windows, each null with a reason when it has no denominator."""
    alerts = int(judged["at_risk"].sum())
    failed = int(judged["failed"].sum())
    hits = int((judged["at_risk"] & judged["failed"]).sum())
    reasons = []
    if judged.is_empty():
        reasons.append("no forecast window has passed yet")
    else:
        if alerts == 0:
            reasons.append("no alerts")
        if failed == 0:
            reasons.append("no failures in the forecast windows")
    return {
        "alert_precision": hits / alerts if alerts else None,
        "alert_recall": hits / failed if failed else None,
        "alerts": alerts,
        "alert_hits": hits,
        "failed_windows": failed,
        "judged_windows": judged.height,
        "alert_reason": "; ".join(reasons) or None,
    }

"""Daily series from the task-run history: per (dag_id, task_id) and per DAG (``task_id`` null).

``duration_s``: a task's median seconds per successful try that day; a DAG's median wall time (first try's start to
last try's end) of the runs that day whose every task ended in success. ``failure_rate``: failed tries over
finished tries (failed + success) that day. A try's day is the UTC date of its ``start_date`` (``logical_date``
when it never started); tries with neither are counted in ``undated_tries``, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from orc_ai.forecast.schema import METRICS
from orc_ai.taskruns.schema import conform_task_runs

FAILED_STATES = ("failed", "up_for_retry")  # a try that failed; up_for_retry: failed and another try follows
FINISHED_STATES = (*FAILED_STATES, "success")
SERIES_SCHEMA: dict[str, pl.DataType] = {
    "dag_id": pl.String(),
    "task_id": pl.String(),
    "metric": pl.String(),
    "ds": pl.Date(),
    "y": pl.Float64(),
    "tries": pl.Int64(),  # tries behind the value (successful runs for a DAG's duration)
}


@dataclass(frozen=True)
class DailySeries:
    """Series rows (SERIES_SCHEMA, sorted by key and day) and how many tries had no date."""

    frame: pl.DataFrame
    undated_tries: int


def _dated(task_runs: pl.DataFrame) -> pl.DataFrame:
    return conform_task_runs(task_runs).with_columns(pl.coalesce("start_date", "logical_date").dt.date().alias("ds"))


def _task_durations(runs: pl.DataFrame) -> pl.DataFrame:
    ok = runs.filter((pl.col("state") == "success") & pl.col("duration_s").is_not_null())
    return ok.group_by("dag_id", "task_id", "ds").agg(
        pl.col("duration_s").median().alias("y"), pl.len().cast(pl.Int64).alias("tries")
    )


def _dag_durations(runs: pl.DataFrame) -> pl.DataFrame:
    last_try = runs.sort("try_number").group_by("dag_id", "run_id", "task_id", "map_index").agg(pl.all().last())
    succeeded = last_try.group_by("dag_id", "run_id").agg((pl.col("state") == "success").all().alias("succeeded"))
    per_run = runs.group_by("dag_id", "run_id").agg(  # wall time over every try, retries included
        pl.col("ds").min(),
        (pl.col("end_date").max() - pl.col("start_date").min()).dt.total_microseconds().alias("wall_us"),
    )
    ok = per_run.join(succeeded, on=["dag_id", "run_id"]).filter(pl.col("succeeded") & pl.col("wall_us").is_not_null())
    return ok.group_by("dag_id", "ds").agg(
        (pl.col("wall_us").median() / 1e6).alias("y"), pl.len().cast(pl.Int64).alias("tries")
    ).with_columns(pl.lit(None, pl.String()).alias("task_id"))


def _failure_rates(runs: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    finished = runs.filter(pl.col("state").is_in(FINISHED_STATES))
    out = finished.group_by(*by, "ds").agg(
        pl.col("state").is_in(FAILED_STATES).mean().alias("y"), pl.len().cast(pl.Int64).alias("tries")
    )
    return out if "task_id" in by else out.with_columns(pl.lit(None, pl.String()).alias("task_id"))


def build_daily_series(task_runs: pl.DataFrame, metric: str) -> DailySeries:
    """Daily ``metric`` series for every task and DAG in ``task_runs`` (an ``airflow_task_runs`` table)."""
    if metric not in METRICS:
        raise ValueError(f"unknown forecast metric {metric!r}; expected one of {METRICS}")
    runs = _dated(task_runs)
    undated = runs.filter(pl.col("ds").is_null()).height
    runs = runs.filter(pl.col("ds").is_not_null())
    if metric == "duration_s":
        parts = [_task_durations(runs), _dag_durations(runs)]
    else:
        parts = [_failure_rates(runs, ["dag_id", "task_id"]), _failure_rates(runs, ["dag_id"])]
    columns = [pl.col(c).cast(t) for c, t in SERIES_SCHEMA.items() if c != "metric"]
    frame = (
        pl.concat([p.select(columns) for p in parts])
        .with_columns(pl.lit(metric).alias("metric"))
        .select(list(SERIES_SCHEMA))
        .sort("dag_id", "task_id", "ds", nulls_last=False)
    )
    return DailySeries(frame=frame, undated_tries=undated)


def series_id(dag_id: str, task_id: str | None) -> str:
    """``dag_id.task_id``, or ``dag_id`` for a whole-DAG series: the key of SLAs and model files."""
    return dag_id if task_id is None else f"{dag_id}.{task_id}"

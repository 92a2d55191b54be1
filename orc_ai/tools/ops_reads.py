"""Read tools over operations tables: ``get_task_history`` (Airflow task runs) and ``forecast_lookup``."""

from __future__ import annotations

from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from orc_ai import defaults
from orc_ai.tools.context import ToolContext
from orc_ai.tools.ids import AirflowKey
from orc_ai.tools.rows import json_rows, require_columns

TASK_RUN_COLUMNS = [
    "dag_id",
    "task_id",
    "run_id",
    "map_index",
    "try_number",
    "state",
    "start_date",
    "end_date",
    "duration_s",
    "error_class",
    "error_message",
]
FORECAST_KEY_COLUMNS = ["dag_id", "task_id", "metric", "horizon"]  # of orc_ai.forecast.schema.FORECAST_SCHEMA
NO_TASK_HISTORY = "no task history has been loaded yet (the airflow_task_runs table is empty or not built)"
NO_FORECAST = "no forecast yet"


class TaskHistoryArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dag_id: AirflowKey = Field(description="The DAG's id.")
    task_id: AirflowKey | None = Field(default=None, description="The task's id; omit for every task of the DAG.")
    limit: int = Field(
        default=defaults.TASK_HISTORY_LIMIT,
        ge=1,
        le=defaults.TASK_HISTORY_MAX_LIMIT,
        description="Most runs to list, latest first.",
    )


def _subject(frame: pl.DataFrame, dag_id: str, task_id: str | None) -> pl.DataFrame:
    match = pl.col("dag_id") == dag_id
    if task_id is not None:
        match &= pl.col("task_id") == task_id
    return frame.filter(match)


def get_task_history(args: TaskHistoryArgs, ctx: ToolContext) -> dict[str, Any]:
    """The task's recent tries (latest first), counts by state, and its latest failure."""
    if ctx.task_runs is None or ctx.task_runs.is_empty():
        return {"available": False, "dag_id": args.dag_id, "task_id": args.task_id, "message": NO_TASK_HISTORY}
    task_runs = ctx.task_runs
    if "map_index" not in task_runs.columns:  # a table of unmapped tasks only
        task_runs = task_runs.with_columns(map_index=pl.lit(-1, pl.Int32))
    require_columns(task_runs, "airflow_task_runs", TASK_RUN_COLUMNS)
    runs = _subject(task_runs, args.dag_id, args.task_id).sort(
        ["start_date", "try_number"], descending=True, nulls_last=True
    )
    states = dict(runs.group_by("state").len().sort("state").iter_rows()) if runs.height else {}
    failed = runs.filter(pl.col("state") == "failed")
    answer: dict[str, Any] = {
        "available": True,
        "dag_id": args.dag_id,
        "task_id": args.task_id,
        "total_tries": runs.height,
        "states": {str(k): v for k, v in states.items()},
        "failure_rate": round(failed.height / runs.height, 4) if runs.height else None,
        "latest_failure": json_rows(failed.head(1).select(TASK_RUN_COLUMNS))[0] if failed.height else None,
        "runs": json_rows(runs.head(args.limit).select(TASK_RUN_COLUMNS)),
    }
    if not runs.height:
        answer["message"] = f"no runs recorded for dag {args.dag_id!r}" + (
            f" task {args.task_id!r}" if args.task_id else ""
        )
    return answer


class ForecastLookupArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dag_id: AirflowKey = Field(description="The DAG's id.")
    task_id: AirflowKey | None = Field(default=None, description="The task's id; omit for every task of the DAG.")
    horizon: str | None = Field(
        default=None, max_length=50, description="One forecast horizon as the forecasts table writes it; omit for all."
    )
    metric: Literal["duration_s", "failure_rate"] | None = Field(
        default=None, description="duration_s or failure_rate; omit for both."
    )


def forecast_lookup(args: ForecastLookupArgs, ctx: ToolContext) -> dict[str, Any]:
    """The duration and failure-rate forecast rows for a DAG or task, or "no forecast yet"."""
    if ctx.forecasts is None or ctx.forecasts.is_empty():
        return {"available": False, "dag_id": args.dag_id, "task_id": args.task_id, "message": NO_FORECAST}
    require_columns(ctx.forecasts, "forecasts", [*FORECAST_KEY_COLUMNS, "predicted"])
    rows = _subject(ctx.forecasts, args.dag_id, args.task_id)
    if args.horizon is not None:
        rows = rows.filter(pl.col("horizon").cast(pl.String) == args.horizon)
    if args.metric is not None:
        rows = rows.filter(pl.col("metric") == args.metric)
    rows = rows.sort(FORECAST_KEY_COLUMNS)
    answer: dict[str, Any] = {
        "available": True,
        "dag_id": args.dag_id,
        "task_id": args.task_id,
        "forecasts": json_rows(rows),
    }
    if not rows.height:
        answer["message"] = f"{NO_FORECAST} for dag {args.dag_id!r}" + (
            f" task {args.task_id!r}" if args.task_id else ""
        )
    return answer

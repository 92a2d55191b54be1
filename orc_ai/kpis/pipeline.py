"""The ``pipeline_kpis`` table: one row per DAG and one overall row (``dag_id`` null); see reliability and alerts
for each definition."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import polars as pl

from orc_ai.kpis.alerts import alert_scores, judge_forecasts
from orc_ai.kpis.reliability import duration_variation, incidents, run_success, try_success
from orc_ai.taskruns.schema import conform_task_runs

KPI_SCHEMA: dict[str, pl.DataType] = {
    "dag_id": pl.String(),  # null: every DAG
    "finished_runs": pl.Int64(),
    "successful_runs": pl.Int64(),
    "run_success_rate": pl.Float64(),
    "tries": pl.Int64(),
    "successful_tries": pl.Int64(),
    "try_success_rate": pl.Float64(),
    "incidents": pl.Int64(),
    "open_incidents": pl.Int64(),
    "mttr_s": pl.Float64(),
    "cv_tasks": pl.Int64(),
    "duration_cv": pl.Float64(),
    "judged_windows": pl.Int64(),
    "alerts": pl.Int64(),
    "alert_hits": pl.Int64(),
    "failed_windows": pl.Int64(),
    "alert_precision": pl.Float64(),
    "alert_recall": pl.Float64(),
    "alert_reason": pl.String(),
}


def _summary(tries: pl.DataFrame, runs: pl.DataFrame, opened: pl.DataFrame, cvs: pl.DataFrame) -> dict:
    n_tries, n_runs = int(tries["tries"].sum()), int(runs["finished_runs"].sum())
    ok_tries, ok_runs = int(tries["successful_tries"].sum()), int(runs["successful_runs"].sum())
    recovered = opened["recovery_s"].drop_nulls()
    return {
        "finished_runs": n_runs,
        "successful_runs": ok_runs,
        "run_success_rate": ok_runs / n_runs if n_runs else None,
        "tries": n_tries,
        "successful_tries": ok_tries,
        "try_success_rate": ok_tries / n_tries if n_tries else None,
        "incidents": opened.height,
        "open_incidents": opened.height - recovered.len(),
        "mttr_s": float(recovered.mean()) if recovered.len() else None,
        "cv_tasks": cvs.height,
        "duration_cv": float(cvs["duration_cv"].mean()) if cvs.height else None,
    }


@dataclass(frozen=True)
class PipelineKpis:
    """The KPI table and how many forecast windows were still pending (ending after the last observed try)."""

    table: pl.DataFrame
    pending_windows: int

    def overall(self) -> dict:
        """The overall row as a dict."""
        return self.table.filter(pl.col("dag_id").is_null()).row(0, named=True)


def compute_pipeline_kpis(task_runs: pl.DataFrame, forecasts: pl.DataFrame, *, window: timedelta) -> PipelineKpis:
    """KPI_SCHEMA rows: each DAG of the history or the forecasts (sorted), then the overall row."""
    task_runs = conform_task_runs(task_runs)
    parts = try_success(task_runs), run_success(task_runs), incidents(task_runs), duration_variation(task_runs)
    judged, pending = judge_forecasts(forecasts, task_runs, window)
    dags = sorted(set(task_runs["dag_id"].drop_nulls()) | set(judged["dag_id"].drop_nulls()))
    rows = []
    for dag in [*dags, None]:
        mine = [p if dag is None else p.filter(pl.col("dag_id") == dag) for p in (*parts, judged)]
        rows.append({"dag_id": dag, **_summary(*mine[:4]), **alert_scores(mine[4])})
    return PipelineKpis(table=pl.DataFrame(rows, schema=KPI_SCHEMA), pending_windows=pending)

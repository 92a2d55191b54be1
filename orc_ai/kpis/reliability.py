"""Success rates, MTTR and execution-time variation of a task-run history (TASK_RUNS_SCHEMA), per DAG.

Definitions (each per DAG; the overall figure pools every DAG's items, it is not a mean of the DAGs' figures):
- try success rate: successful tries / tries that ran to an outcome (``success``, or ``failed``/``up_for_retry``);
  skipped, upstream_failed, removed and unfinished tries did not run to an outcome and are left out.
- run success rate: successful DAG runs / finished DAG runs. A run (dag_id, run_id) is finished when the last try
  of every one of its task instances is in a terminal state, and successful when each of those is ``success`` or
  ``skipped``. Runs still in progress are left out.
- MTTR: mean time to recovery of incidents, in seconds. An incident of a task instance series (dag_id, task_id,
  map_index; tries ordered by start) begins with a failed try that follows a success (or opens the history) and
  ends with the next successful try, in the same run (a retry) or a later one; its time to recovery is that
  success's end minus the first failed try's end. Incidents not yet recovered are counted as open, not averaged.
- execution-time variation: coefficient of variation (sample std / mean) of the durations of a task's successful
  tries (tasks with at least two, mean > 0); a DAG's is the mean over its tasks, the overall one over all tasks.
"""

from __future__ import annotations

import polars as pl

from orc_ai.taskruns.schema import TERMINAL_TRY_STATES

FAILED_STATES = ("failed", "up_for_retry")
SUCCESS_RUN_STATES = ("success", "skipped")
SERIES = ("dag_id", "task_id", "map_index")


def try_success(task_runs: pl.DataFrame) -> pl.DataFrame:
    """Per DAG: ``tries`` (ran to an outcome), ``successful_tries``."""
    ran = task_runs.filter(pl.col("state").is_in(["success", *FAILED_STATES]))
    return ran.group_by("dag_id").agg(
        pl.len().alias("tries"), (pl.col("state") == "success").sum().alias("successful_tries")
    )


def run_success(task_runs: pl.DataFrame) -> pl.DataFrame:
    """Per DAG: ``finished_runs``, ``successful_runs`` (from each task instance's last try)."""
    last = task_runs.sort("try_number").group_by("dag_id", "run_id", "task_id", "map_index").agg(
        pl.col("state").last()
    )
    runs = last.group_by("dag_id", "run_id").agg(
        pl.col("state").is_in(list(TERMINAL_TRY_STATES)).all().alias("finished"),
        pl.col("state").is_in(SUCCESS_RUN_STATES).all().alias("succeeded"),
    )
    return runs.filter("finished").group_by("dag_id").agg(
        pl.len().alias("finished_runs"), pl.col("succeeded").sum().alias("successful_runs")
    )


def incidents(task_runs: pl.DataFrame) -> pl.DataFrame:
    """One row per incident: dag_id, task_id, map_index, failed_at (first failed try's end), recovered_at (next
    success's end, null while open), recovery_s."""
    tries = (
        task_runs.filter(pl.col("state").is_in(["success", *FAILED_STATES]) & pl.col("start_date").is_not_null())
        .sort([*SERIES, "start_date", "try_number"])
        .with_columns(pl.col("state").is_in(FAILED_STATES).alias("failed"))
    )
    previous_failed = pl.col("failed").shift(1).over(SERIES).fill_null(False)
    tries = tries.with_columns(
        (pl.col("failed") & ~previous_failed).alias("opens"),
        # the end of the next successful try at or after this row, within the series
        pl.when(~pl.col("failed")).then(pl.col("end_date")).backward_fill().over(SERIES).alias("next_success_end"),
    )
    opened = tries.filter("opens").select(
        *SERIES, pl.col("end_date").alias("failed_at"), pl.col("next_success_end").alias("recovered_at")
    )
    return opened.with_columns(
        ((pl.col("recovered_at") - pl.col("failed_at")).dt.total_microseconds() / 1e6).alias("recovery_s")
    )


def duration_variation(task_runs: pl.DataFrame) -> pl.DataFrame:
    """Per task with at least two successful timed tries and a positive mean: ``duration_cv``."""
    ok = task_runs.filter((pl.col("state") == "success") & pl.col("duration_s").is_not_null())
    per_task = ok.group_by("dag_id", "task_id").agg(
        pl.len().alias("n"), pl.col("duration_s").mean().alias("mean"), pl.col("duration_s").std().alias("std")
    )
    return per_task.filter((pl.col("n") >= 2) & (pl.col("mean") > 0)).select(
        "dag_id", "task_id", (pl.col("std") / pl.col("mean")).alias("duration_cv")
    )

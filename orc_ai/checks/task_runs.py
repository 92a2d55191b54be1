"""Gate on airflow_task_runs: forecasts, anomalies and the agent read only a sound history."""

import dagster as dg
import polars as pl

from orc_ai.taskruns.quality import task_run_problems


@dg.asset_check(asset="airflow_task_runs", blocking=True)
def airflow_task_runs_valid(airflow_task_runs: pl.DataFrame) -> dg.AssetCheckResult:
    """The table's schema, one row per try, Airflow states, start before end, durations and try numbers >= 0."""
    problems = task_run_problems(airflow_task_runs)
    return dg.AssetCheckResult(
        passed=not problems,
        metadata={"problems": problems, "tries": airflow_task_runs.height,
                  "failed": airflow_task_runs.filter(pl.col("state") == "failed").height if not problems else None},
    )

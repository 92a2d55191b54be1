"""A small airflow_task_runs history: daily runs of three tasks, one try 10x slower than usual."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl

from orc_ai.taskruns.schema import conform_task_runs

TASKS = {("etl_dag", "extract"): 120.0, ("etl_dag", "load"): 60.0, ("kg_build_dag", "embed"): 300.0}
SLOW_DAY = 70  # etl_dag.extract's run on this day takes 10x its usual time


def task_runs(days: int = 90, seed: int = 0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    start = datetime(2026, 9, 1, 2, tzinfo=UTC)
    for day in range(days):
        for (dag_id, task_id), typical in TASKS.items():
            duration = float(typical * rng.lognormal(0, 0.05))
            if (dag_id, task_id, day) == ("etl_dag", "extract", SLOW_DAY):
                duration *= 10
            began = start + timedelta(days=day, minutes=int(rng.integers(0, 5)))
            rows.append(
                {"dag_id": dag_id, "run_id": f"scheduled__{day:03d}", "task_id": task_id, "map_index": -1,
                 "try_number": 1, "max_tries": 2, "state": "success", "start_date": began,
                 "end_date": began + timedelta(seconds=duration), "duration_s": duration, "operator": "PythonOperator"}
            )
    rows.append({**rows[5], "run_id": "manual__x", "duration_s": None, "state": "running", "end_date": None})
    return conform_task_runs(pl.DataFrame(rows))

"""Small real-looking task-run histories built row by row (daily DAG runs, failures retried), for the tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl

from orc_ai.taskruns.schema import conform_task_runs

TASKS = {  # dag_id -> {task_id: (mean duration s, failure probability, error class)}
    "orders_daily_etl": {"extract": (60.0, 0.15, "ConnectionError"), "load": (300.0, 0.05, "OperationalError")},
    "kg_build": {"chunk": (30.0, 0.0, None), "embed": (900.0, 0.2, "TimeoutError")},
}


def daily_history(days: int = 30, seed: int = 0, start: datetime = datetime(2026, 1, 5, tzinfo=UTC)) -> pl.DataFrame:
    """One run per DAG per day at 02:00 (+ jitter); a failed try is retried 5 minutes after it ended, up to 3 tries."""
    rng = np.random.default_rng(seed)
    rows = []
    for day in range(days):
        logical = start + timedelta(days=day)
        for dag_id, tasks in TASKS.items():
            at = logical + timedelta(hours=2, minutes=float(rng.uniform(0, 30)))
            for task_id, (mean, p_fail, error) in tasks.items():
                for try_number in (1, 2, 3):
                    duration = float(rng.lognormal(np.log(mean), 0.2))
                    failed = try_number < 3 and rng.random() < p_fail
                    rows.append(
                        {
                            "dag_id": dag_id, "run_id": f"scheduled__{logical:%Y-%m-%d}", "task_id": task_id,
                            "map_index": -1, "try_number": try_number, "max_tries": 3,
                            "state": "failed" if failed else "success", "run_type": "scheduled",
                            "logical_date": logical, "start_date": at, "end_date": at + timedelta(seconds=duration),
                            "duration_s": duration, "operator": "PythonOperator", "pool": "default_pool",
                            "queue": "default", "hostname": "worker-1", "executor": "LocalExecutor",
                            "error_class": error if failed else None,
                            "error_message": f"{error}: {task_id} gave up" if failed else None,
                            "log_tail": f"Traceback ... {error}" if failed else None,
                        }
                    )
                    at += timedelta(seconds=duration + (300 if failed else 5))
                    if not failed:
                        break
    return conform_task_runs(pl.DataFrame(rows))

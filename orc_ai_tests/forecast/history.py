"""Small task-run histories built try by try, as the sensor would append them (TASK_RUNS_SCHEMA)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl

from orc_ai.taskruns.schema import conform_task_runs

START = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)


def task_history(
    dag_id: str,
    tasks: dict[str, float],
    days: int,
    *,
    fail_every: int = 0,
    noise: float = 0.05,
    seed: int = 0,
) -> pl.DataFrame:
    """One daily run of ``dag_id`` per day: its tasks in sequence, each ``tasks[task]`` seconds (times a seeded
    noise and a weekly wave); with ``fail_every`` = n, the first task's first try fails every n-th day and a
    second try succeeds."""
    rng = np.random.default_rng(seed)
    rows = []
    for day in range(days):
        run_id = f"scheduled__{(START + timedelta(days=day)).date()}"
        clock = START + timedelta(days=day)
        for i, (task, mean_s) in enumerate(tasks.items()):
            tries = ["failed", "success"] if fail_every and i == 0 and day % fail_every == 0 else ["success"]
            for n, state in enumerate(tries, start=1):
                wave = 1 + 0.1 * np.sin(2 * np.pi * day / 7)
                seconds = float(mean_s * wave * (1 + noise * rng.standard_normal()))
                rows.append(
                    {
                        "dag_id": dag_id,
                        "run_id": run_id,
                        "task_id": task,
                        "map_index": -1,
                        "try_number": n,
                        "max_tries": 2,
                        "state": state,
                        "run_type": "scheduled",
                        "logical_date": START + timedelta(days=day),
                        "start_date": clock,
                        "end_date": clock + timedelta(seconds=seconds),
                        "duration_s": seconds,
                        "operator": "PythonOperator",
                        "error_class": "ValueError" if state == "failed" else None,
                    }
                )
                clock += timedelta(seconds=seconds)
    return conform_task_runs(pl.DataFrame(rows))

"""What makes an ``airflow_task_runs`` table trustworthy enough to forecast and decide from: its problems, listed."""

from __future__ import annotations

import polars as pl

from orc_ai.taskruns.schema import TASK_RUNS_SCHEMA, TRY_KEY

# Airflow 3's task-instance states (airflow.utils.state.TaskInstanceState); null before a task is scheduled
AIRFLOW_TRY_STATES = frozenset({
    "removed", "scheduled", "queued", "running", "success", "restarting", "failed", "up_for_retry",
    "up_for_reschedule", "upstream_failed", "skipped", "deferred",
})
_EXAMPLES = 3


def _keys(frame: pl.DataFrame) -> list[str]:
    return ["/".join(str(v) for v in row) for row in frame.select(TRY_KEY).head(_EXAMPLES).rows()]


def task_run_problems(frame: pl.DataFrame) -> list[str]:
    """Every way ``frame`` breaks the table's contract: schema, one row per try, known states, times in order,
    non-negative durations, try numbers from 0. Empty when the table is sound."""
    schema = dict(frame.schema)
    if schema != TASK_RUNS_SCHEMA:
        missing = [c for c in TASK_RUNS_SCHEMA if c not in schema]
        wrong = [f"{c}: {schema[c]} (want {t})" for c, t in TASK_RUNS_SCHEMA.items() if c in schema and schema[c] != t]
        extra = sorted(set(schema) - set(TASK_RUNS_SCHEMA))
        return [f"schema differs: missing {missing}, wrong types {wrong}, extra {extra}"]
    problems = []
    duplicated = frame.filter(pl.struct(list(TRY_KEY)).is_duplicated())
    if duplicated.height:
        problems.append(f"{duplicated.height} rows share a try key, e.g. {_keys(duplicated)}")
    for name in ("dag_id", "run_id", "task_id"):
        empty = frame.filter(pl.col(name).is_null() | (pl.col(name) == ""))
        if empty.height:
            problems.append(f"{empty.height} rows have no {name}")
    unknown = frame.filter(pl.col("state").is_not_null() & ~pl.col("state").is_in(sorted(AIRFLOW_TRY_STATES)))
    if unknown.height:
        states = unknown["state"].unique().sort().head(_EXAMPLES).to_list()
        problems.append(f"{unknown.height} rows have an unknown state, e.g. {states}")
    backwards = frame.filter(pl.col("end_date") < pl.col("start_date"))
    if backwards.height:
        problems.append(f"{backwards.height} tries end before they start, e.g. {_keys(backwards)}")
    negative = frame.filter((pl.col("duration_s") < 0) | pl.col("duration_s").is_nan())
    if negative.height:
        problems.append(f"{negative.height} tries have a negative or NaN duration, e.g. {_keys(negative)}")
    bad_try = frame.filter(pl.col("try_number") < 0)
    if bad_try.height:
        problems.append(f"{bad_try.height} rows have a negative try number, e.g. {_keys(bad_try)}")
    return problems

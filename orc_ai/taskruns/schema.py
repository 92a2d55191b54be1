"""The ``airflow_task_runs`` table: one row per task try, keyed by (dag_id, run_id, task_id, map_index, try_number).

Every consumer (forecasts, anomalies, log clusters, KPIs, synthetic histories, the agent's ``get_task_history``)
reads this schema from here. Times are UTC; ``duration_s`` is seconds; ``error_class``/``error_message`` come from
the try's log (the first exception it logged) and are null for a try that did not fail; ``log_tail`` is the last
lines of a failed try's log.
"""

from __future__ import annotations

from typing import Any

import polars as pl

TASK_RUNS_TABLE = "airflow_task_runs"
TRY_KEY = ("dag_id", "run_id", "task_id", "map_index", "try_number")
TERMINAL_TRY_STATES = frozenset({"success", "failed", "skipped", "upstream_failed", "removed"})
TASK_RUNS_SCHEMA: dict[str, pl.DataType] = {
    "dag_id": pl.String(),
    "run_id": pl.String(),
    "task_id": pl.String(),
    "map_index": pl.Int32(),
    "try_number": pl.Int32(),
    "max_tries": pl.Int32(),
    "state": pl.String(),
    "run_type": pl.String(),
    "logical_date": pl.Datetime("us", "UTC"),
    "start_date": pl.Datetime("us", "UTC"),
    "end_date": pl.Datetime("us", "UTC"),
    "duration_s": pl.Float64(),
    "operator": pl.String(),
    "pool": pl.String(),
    "queue": pl.String(),
    "hostname": pl.String(),
    "executor": pl.String(),
    "error_class": pl.String(),
    "error_message": pl.String(),
    "log_tail": pl.String(),
}


def empty_task_runs() -> pl.DataFrame:
    """The table with no rows."""
    return pl.DataFrame(schema=TASK_RUNS_SCHEMA)


def conform_task_runs(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with exactly the schema's columns, types and order (missing optional columns become null),
    one row per try (the last row of a repeated key wins: a later observation of the same try), sorted by key.
    Raises ``ValueError`` naming any key column that is missing."""
    missing = [c for c in TRY_KEY if c not in frame.columns]
    if missing:
        raise ValueError(f"{TASK_RUNS_TABLE} rows lack key columns {missing}")
    columns = [
        (pl.col(c) if c in frame.columns else pl.lit(None)).cast(dtype).alias(c)
        for c, dtype in TASK_RUNS_SCHEMA.items()
    ]
    return frame.select(columns).unique(subset=list(TRY_KEY), keep="last", maintain_order=True).sort(list(TRY_KEY))


def run_key(dag_id: str, run_id: str, task_id: str, map_index: Any, try_number: Any) -> str:
    """The stable key of one try: its key fields joined by ``/`` (Airflow allows no ``/`` in dag, run or task
    ids, so keys cannot collide). A workflow graph ``Run`` node's key and a decision's run citation."""
    return "/".join((str(dag_id), str(run_id), str(task_id), str(int(map_index)), str(int(try_number))))


def run_key_expr() -> pl.Expr:
    """:func:`run_key` as a polars expression over the table's key columns."""
    return pl.concat_str([pl.col(c).cast(pl.String) for c in TRY_KEY], separator="/")

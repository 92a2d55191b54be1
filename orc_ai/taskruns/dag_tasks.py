"""The ``airflow_dag_tasks`` table: one row per task of every DAG (dag_id, task_id, operator, downstream_task_ids),
read from Airflow's REST API or, without an Airflow, from the bundled sample.

The table is the whole structure or nothing: a DAG whose tasks cannot be read fails the read (a partial table
would make the workflow graph prune that DAG), except a DAG deleted between the listing and its tasks' read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import polars as pl

from airflow_bridge import AirflowNotFoundError
from airflow_bridge.models import Dag, DagTask
from orc_ai.errors import ConfigError

DAG_TASKS_TABLE = "airflow_dag_tasks"
DAG_TASKS_SCHEMA: dict[str, pl.DataType] = {
    "dag_id": pl.String(),
    "task_id": pl.String(),
    "operator": pl.String(),
    "downstream_task_ids": pl.List(pl.String()),
}
SAMPLE_DAG_TASKS = Path(__file__).resolve().parent.parent / "sample_airflow" / "dag_tasks.parquet"


class DagReader(Protocol):
    """What this module needs of ``airflow_bridge.AirflowClient``."""

    def list_dags(self) -> list[Dag]: ...

    def dag_tasks(self, dag_id: str) -> list[DagTask]: ...


def conform_dag_tasks(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with exactly the schema's columns and types (a missing ``operator`` becomes null), sorted by
    dag_id and task_id; raises ``ValueError`` naming a missing key column. Repeated rows stay: the workflow graph
    reports them."""
    missing = [c for c in ("dag_id", "task_id", "downstream_task_ids") if c not in frame.columns]
    if missing:
        raise ValueError(f"{DAG_TASKS_TABLE} rows lack columns {missing}")
    columns = [
        (pl.col(c) if c in frame.columns else pl.lit(None)).cast(dtype).alias(c)
        for c, dtype in DAG_TASKS_SCHEMA.items()
    ]
    return frame.select(columns).sort("dag_id", "task_id", maintain_order=True)


def read_dag_tasks(client: DagReader) -> pl.DataFrame:
    """Every task of every DAG Airflow lists, with its operator and downstream task ids."""
    rows = []
    for dag in sorted(client.list_dags(), key=lambda d: d.dag_id):
        try:
            tasks = client.dag_tasks(dag.dag_id)
        except AirflowNotFoundError:  # deleted since the listing: gone, as a fresh read would find it
            continue
        rows += [
            {
                "dag_id": dag.dag_id,
                "task_id": t.task_id,
                "operator": t.operator_name,
                "downstream_task_ids": sorted(t.downstream_task_ids),
            }
            for t in tasks
        ]
    return conform_dag_tasks(pl.DataFrame(rows, schema=DAG_TASKS_SCHEMA))


def sample_dag_tasks(path: Path = SAMPLE_DAG_TASKS) -> pl.DataFrame:
    """The bundled sample's DAG structure (the sample corpus's DAGs)."""
    if not path.exists():
        raise ConfigError(f"no sample DAG structure at {path}; set ORC_AI_AIRFLOW_URL to read it from Airflow")
    return conform_dag_tasks(pl.read_parquet(path))

"""The airflow_dag_tasks table: read from the Airflow client (every DAG it lists, none lost or half-read) or the
bundled sample."""

from __future__ import annotations

from unittest.mock import MagicMock

import polars as pl
import pytest

from airflow_bridge import AirflowClient, AirflowNotFoundError, AirflowRequestError
from airflow_bridge.models import Dag, DagTask
from orc_ai.errors import ConfigError
from orc_ai.taskruns.dag_tasks import DAG_TASKS_SCHEMA, conform_dag_tasks, read_dag_tasks, sample_dag_tasks


def _client(tasks: dict[str, list[DagTask] | Exception]) -> MagicMock:
    client = MagicMock(spec=AirflowClient)
    client.list_dags.return_value = [Dag(dag_id=d, is_paused=False) for d in tasks]

    def dag_tasks(dag_id: str) -> list[DagTask]:
        if isinstance(tasks[dag_id], Exception):
            raise tasks[dag_id]
        return tasks[dag_id]

    client.dag_tasks.side_effect = dag_tasks
    return client


def test_every_listed_dag_s_tasks_with_operator_and_sorted_downstream_ids() -> None:
    client = _client(
        {
            "b_dag": [DagTask(task_id="only", operator_name="EmptyOperator")],
            "a_dag": [
                DagTask(task_id="load", operator_name="PythonOperator"),
                DagTask(task_id="extract", operator_name="BashOperator", downstream_task_ids=["validate", "load"]),
                DagTask(task_id="validate"),
            ],
            "gone_dag": AirflowNotFoundError("GET /dags/gone_dag/tasks: not found", status_code=404),
        }
    )
    table = read_dag_tasks(client)
    assert table.schema == pl.Schema(DAG_TASKS_SCHEMA)
    assert table.rows() == [
        ("a_dag", "extract", "BashOperator", ["load", "validate"]),
        ("a_dag", "load", "PythonOperator", []),
        ("a_dag", "validate", None, []),
        ("b_dag", "only", "EmptyOperator", []),
    ]


def test_a_dag_whose_tasks_cannot_be_read_fails_the_read() -> None:
    client = _client({"a_dag": AirflowRequestError("GET /dags/a_dag/tasks: 503", status_code=503)})
    with pytest.raises(AirflowRequestError):
        read_dag_tasks(client)


def test_the_sample_conforms_and_a_missing_one_says_how_to_fix_it(tmp_path) -> None:
    sample = sample_dag_tasks()
    assert sample.schema == pl.Schema(DAG_TASKS_SCHEMA) and sample.height > 0
    assert sample.select("dag_id", "task_id").is_duplicated().sum() == 0
    with pytest.raises(ConfigError, match="ORC_AI_AIRFLOW_URL"):
        sample_dag_tasks(tmp_path / "none.parquet")
    with pytest.raises(ValueError, match="downstream_task_ids"):
        conform_dag_tasks(pl.DataFrame({"dag_id": ["d"], "task_id": ["t"]}))

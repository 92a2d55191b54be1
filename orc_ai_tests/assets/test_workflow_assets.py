"""airflow_dag_tasks and workflow_graph as Dagster runs them: the sample structure without an Airflow, and the
workflow graph written to the configured store from its upstream assets."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl

from orc_ai.assets.workflow import airflow_dag_tasks, workflow_graph
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.resources.airflow import AirflowResource
from orc_ai.resources.graph_store import GraphStoreResource
from orc_ai.resources.io_manager import TableIOManager
from orc_ai.taskruns.dag_tasks import DAG_TASKS_SCHEMA, SAMPLE_DAG_TASKS
from orc_ai_tests.assets.conftest import metadata
from orc_ai_tests.graph.graph_tables import load
from orc_ai_tests.graph.workflow_tables import base_inputs, dag_tasks, task_runs


def test_without_an_airflow_the_dag_structure_is_the_bundled_sample(tmp_path: Path) -> None:
    result = dg.materialize(
        [airflow_dag_tasks],
        resources={"airflow": AirflowResource(), "io_manager": TableIOManager(base_dir=str(tmp_path))},
    )
    table = result.output_for_node("airflow_dag_tasks")
    sample = pl.read_parquet(SAMPLE_DAG_TASKS)
    assert table.schema == pl.Schema(DAG_TASKS_SCHEMA)
    assert table.height == sample.height and table["dag_id"].n_unique() == sample["dag_id"].n_unique()
    assert metadata(result, "airflow_dag_tasks")["source"] == "sample"


def _upstream(store_path: Path, runs: pl.DataFrame, structure: pl.DataFrame) -> list:
    inputs = base_inputs()

    @dg.asset(name="entities")
    def entities_asset() -> pl.DataFrame:
        return inputs.graph["entities"]

    @dg.asset(name="neo4j_graph", deps=["entities"])
    def graph_asset() -> None:
        load(EmbeddedGraphStore(store_path), inputs.graph)

    @dg.asset(name="airflow_task_runs")
    def runs_asset() -> pl.DataFrame:
        return runs

    @dg.asset(name="airflow_dag_tasks")
    def structure_asset() -> pl.DataFrame:
        return structure

    return [entities_asset, graph_asset, runs_asset, structure_asset]


def _materialise(tmp_path: Path, runs: pl.DataFrame, structure: pl.DataFrame) -> dg.ExecuteInProcessResult:
    store_path = tmp_path / "graph"
    return dg.materialize(
        [*_upstream(store_path, runs, structure), workflow_graph],
        resources={
            "graph_store": GraphStoreResource(backend="embedded", path=str(store_path)),
            "io_manager": TableIOManager(base_dir=str(tmp_path / "assets")),
        },
        raise_on_error=False,
    )


def test_workflow_graph_writes_the_store_and_reports_what_it_skipped(tmp_path: Path) -> None:
    structure = pl.concat(
        [
            dag_tasks(),
            pl.DataFrame(
                {
                    "dag_id": ["kg_build_dag"],
                    "task_id": ["bad task"],
                    "operator": [None],
                    "downstream_task_ids": [["no_such"]],
                },
                schema=DAG_TASKS_SCHEMA,
            ),
        ]
    )
    result = _materialise(tmp_path, task_runs(), structure)
    assert result.success
    meta = metadata(result, "workflow_graph")
    assert {k: meta[k] for k in ("dags", "tasks", "runs", "has_run", "named_in", "skipped")} == {
        "dags": 2,
        "tasks": 8,
        "runs": 25,
        "has_run": 25,
        "named_in": 4,
        "skipped": 1,
    }
    assert meta["backend"] == "embedded" and (meta["skipped_tasks"], meta["skipped_dependencies"]) == (1, 0)
    skipped = result.output_for_node("workflow_graph")
    assert skipped.to_dicts() == [{"kind": "task", "key": "kg_build_dag/bad task", "reason": skipped["reason"][0]}]
    assert skipped["reason"][0].startswith("invalid task_id")
    counts = EmbeddedGraphStore(tmp_path / "graph").dump().counts()
    assert (counts["Dag"], counts["Task"], counts["Run"], counts["NAMED_IN"]) == (2, 8, 25, 4)


def test_workflow_graph_fails_when_most_rows_are_invalid(tmp_path: Path) -> None:
    structure = dag_tasks().with_columns(pl.format("{} ?", "task_id").alias("task_id"))
    result = _materialise(tmp_path, task_runs(), structure)
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
    assert failure.step_key == "workflow_graph" and "invalid ids" in str(failure.event_specific_data.error)

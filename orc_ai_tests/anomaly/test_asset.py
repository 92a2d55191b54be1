"""The run_anomalies asset materialises from an upstream airflow_task_runs with counts in its metadata."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl

from orc_ai.anomaly.runs import RUN_ANOMALIES_SCHEMA
from orc_ai.assets import OPERATIONS
from orc_ai.assets.anomalies import run_anomalies
from orc_ai.resources.mlflow import MlflowResource
from orc_ai_tests.anomaly.task_runs_data import SLOW_DAY, task_runs


@dg.asset(name="airflow_task_runs")
def airflow_task_runs_fixture() -> pl.DataFrame:
    return task_runs()


def test_run_anomalies_materialises_the_flagged_tries(tmp_path: Path) -> None:
    result = dg.materialize([airflow_task_runs_fixture, run_anomalies],
                            resources={"mlflow": MlflowResource(home=str(tmp_path))})
    assert result.success
    table = result.output_for_node("run_anomalies")
    assert table.schema == pl.Schema(RUN_ANOMALIES_SCHEMA)
    assert f"scheduled__{SLOW_DAY:03d}" in table.filter(pl.col("task_id") == "extract")["run_id"].to_list()
    (event,) = result.get_asset_materialization_events()[1:]
    meta = event.materialization.metadata
    assert meta["flagged_tries"].value == table.height and meta["tries_scored"].value == 270
    assert meta["params"].value["seed"] == 0
    assert (meta["model_name"].value, meta["model_version"].value) == ("orc_ai_run_anomalies", "1")


def test_run_anomalies_is_an_automated_operations_asset_fed_by_airflow_task_runs() -> None:
    defs = dg.Definitions(assets=[airflow_task_runs_fixture, run_anomalies],
                          resources={"mlflow": MlflowResource(home="unused")})
    node = defs.get_repository_def().asset_graph.get(dg.AssetKey("run_anomalies"))
    assert node.group_name == OPERATIONS
    assert node.automation_condition is not None
    assert node.parent_keys == {dg.AssetKey("airflow_task_runs")}

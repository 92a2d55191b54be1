"""The run_anomalies asset materialises from an upstream airflow_task_runs (and an optional task_duration_forecast)
with counts and skipped detectors in its metadata."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl

from orc_ai.anomaly.runs import RUN_ANOMALIES_SCHEMA
from orc_ai.assets import OPERATIONS
from orc_ai.assets.anomalies import run_anomalies
from orc_ai.resources.io_manager import TableIOManager
from orc_ai.resources.mlflow import MlflowResource
from orc_ai_tests.anomaly.forecast_data import duration_forecast
from orc_ai_tests.anomaly.task_runs_data import SLOW_DAY, task_runs


@dg.asset(name="airflow_task_runs")
def airflow_task_runs_fixture() -> pl.DataFrame:
    return task_runs()


@dg.asset(name="task_duration_forecast")
def task_duration_forecast_fixture() -> pl.DataFrame:
    return duration_forecast(("etl_dag", "extract"), range(SLOW_DAY, SLOW_DAY + 1), 100.0, 140.0)


def _resources(tmp_path: Path) -> dict:
    return {"mlflow": MlflowResource(home=str(tmp_path)), "io_manager": TableIOManager(base_dir=str(tmp_path / "a"))}


def test_run_anomalies_materialises_the_flagged_tries(tmp_path: Path) -> None:
    result = dg.materialize([airflow_task_runs_fixture, task_duration_forecast_fixture, run_anomalies],
                            resources=_resources(tmp_path), selection=["airflow_task_runs", "run_anomalies"])
    assert result.success
    table = result.output_for_node("run_anomalies")
    assert table.schema == pl.Schema(RUN_ANOMALIES_SCHEMA)
    assert f"scheduled__{SLOW_DAY:03d}" in table.filter(pl.col("task_id") == "extract")["run_id"].to_list()
    (event,) = result.get_asset_materialization_events()[1:]
    meta = event.materialization.metadata
    assert meta["flagged_tries"].value == table.height and meta["tries_scored"].value == 270
    assert meta["params"].value["seed"] == 0
    assert (meta["model_name"].value, meta["model_version"].value) == ("orc_ai_run_anomalies", "1")
    skipped = {"prophet_interval": "no task_duration_forecast table (not materialised yet)"}
    assert meta["skipped_detectors"].value == skipped


def test_with_a_duration_forecast_the_slow_try_is_also_flagged_by_its_interval(tmp_path: Path) -> None:
    result = dg.materialize([airflow_task_runs_fixture, task_duration_forecast_fixture, run_anomalies],
                            resources=_resources(tmp_path))
    table = result.output_for_node("run_anomalies")
    slow = table.filter(pl.col("task_id") == "extract", pl.col("run_id") == f"scheduled__{SLOW_DAY:03d}")
    assert slow["detectors"].to_list() == ["isolation_forest,prophet_interval,streaming"]
    meta = result.asset_materializations_for_node("run_anomalies")[0].metadata
    assert meta["skipped_detectors"].value == {} and meta["flagged_prophet_interval"].value == 1.0


def test_run_anomalies_is_an_automated_operations_asset_fed_by_the_history_and_the_forecast() -> None:
    defs = dg.Definitions(assets=[airflow_task_runs_fixture, task_duration_forecast_fixture, run_anomalies],
                          resources={"mlflow": MlflowResource(home="unused")})
    node = defs.get_repository_def().asset_graph.get(dg.AssetKey("run_anomalies"))
    assert node.group_name == OPERATIONS
    assert node.automation_condition is not None
    assert node.parent_keys == {dg.AssetKey("airflow_task_runs"), dg.AssetKey("task_duration_forecast")}

"""The failure_log_clusters asset over an upstream airflow_task_runs built from the small history."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl

from orc_ai.assets import OPERATIONS
from orc_ai.assets.log_clusters import failure_log_clusters
from orc_ai.resources.io_manager import TableIOManager
from orc_ai.resources.mlflow import MlflowResource
from orc_ai.taskruns.schema import conform_task_runs
from orc_ai_tests.logs.conftest import task_run_rows


def _materialize(home: Path, rows: list[dict]) -> dg.ExecuteInProcessResult:
    @dg.asset(name="airflow_task_runs", group_name=OPERATIONS)
    def upstream() -> pl.DataFrame:
        return conform_task_runs(pl.DataFrame(rows))

    return dg.materialize([upstream, failure_log_clusters], resources={
        "io_manager": TableIOManager(base_dir=str(home)), "mlflow": MlflowResource(home=str(home))})


def _metadata(result: dg.ExecuteInProcessResult) -> dict:
    (event,) = [e for e in result.get_asset_materialization_events()
                if e.materialization.asset_key == dg.AssetKey("failure_log_clusters")]
    return {k: getattr(v, "value", v) for k, v in event.materialization.metadata.items()}


def test_the_asset_writes_one_row_per_category_with_params_and_metrics(tmp_path: Path) -> None:
    result = _materialize(tmp_path, task_run_rows())
    assert result.success
    table = pl.read_parquet(tmp_path / "failure_log_clusters.parquet")
    assert table.height == 4 and table["count"].sum() == 7
    meta = _metadata(result)
    assert meta["clusters"] == 4.0 and meta["failed_tries"] == 7.0
    assert meta["param_max_constant_values"] == 3
    assert "ConnectionTimeout: timed out connecting to <*>.internal:<*> after <*>" in meta["top_categories"]
    # the templates are a registered MLflow model version; the same inputs again reuse it
    assert (meta["model_name"], meta["model_version"], meta["champion_version"]) == (
        "orc_ai_failure_log_clusters", "1", "1")
    client = MlflowResource(home=str(tmp_path))
    with dg.build_resources({"mlflow": client}) as opened:
        version = opened.mlflow.client().get_model_version("orc_ai_failure_log_clusters", "1")
        assert version.tags["promotion.promoted"] == "true"
    assert _metadata(_materialize(tmp_path, task_run_rows()))["model_version"] == "1"


def test_a_rerun_after_an_upstream_change_equals_a_fresh_run(tmp_path: Path) -> None:
    rows = task_run_rows()
    changed = [r for r in rows if r["task_id"] != "join_orders"]  # those tries are gone upstream
    changed[0] = {**changed[0], "error_message": "certificate verify failed for fx-api-01.internal"}
    assert _materialize(tmp_path / "a", rows).success
    assert _materialize(tmp_path / "a", changed).success
    assert _materialize(tmp_path / "b", changed).success
    rerun = pl.read_parquet(tmp_path / "a" / "failure_log_clusters.parquet")
    fresh = pl.read_parquet(tmp_path / "b" / "failure_log_clusters.parquet")
    assert rerun.equals(fresh)
    assert "KeyError: 'customer_id'" not in rerun["template"].to_list()


def test_the_asset_is_in_the_operations_group_and_automated() -> None:
    from orc_ai.definitions import defs

    node = defs.get_repository_def().asset_graph.get(dg.AssetKey("failure_log_clusters"))
    assert node.group_name == OPERATIONS
    assert node.automation_condition is not None
    assert node.parent_keys == {dg.AssetKey("airflow_task_runs")}

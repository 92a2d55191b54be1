"""The pipeline_kpis asset over small upstream assets: the KPI table and the overall KPIs in its metadata."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from orc_ai.assets import OPERATIONS
from orc_ai.assets.kpis import pipeline_kpis
from orc_ai.resources.io_manager import TableIOManager
from orc_ai_tests.kpis.history import forecasts, history


@dg.asset(name="airflow_task_runs", group_name=OPERATIONS)
def airflow_task_runs() -> pl.DataFrame:
    return history()


@dg.asset(name="failure_forecast", group_name=OPERATIONS)
def failure_forecast() -> pl.DataFrame:
    return forecasts()


def _run(tmp_path: Path, selection: list[str] | None = None) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [airflow_task_runs, failure_forecast, pipeline_kpis],
        resources={"io_manager": TableIOManager(base_dir=str(tmp_path))},
        selection=selection,
    )


def test_pipeline_kpis_writes_the_table_and_the_overall_kpis(tmp_path: Path) -> None:
    result = _run(tmp_path)
    meta = result.asset_materializations_for_node("pipeline_kpis")[0].metadata
    table = pl.read_parquet(tmp_path / "pipeline_kpis.parquet")
    assert table["dag_id"].to_list() == ["etl", "report", None]
    assert meta["dags"].value == 2 and meta["pending_windows"].value == 2
    assert meta["try_success_rate"].value == pytest.approx(6 / 10)
    assert meta["alert_precision"].value == pytest.approx(2 / 3)
    assert meta["alert_reason"].value is None


def test_before_any_forecast_exists_the_alert_scores_are_null_with_a_reason(tmp_path: Path) -> None:
    result = _run(tmp_path, selection=["airflow_task_runs", "pipeline_kpis"])
    meta = result.asset_materializations_for_node("pipeline_kpis")[0].metadata
    assert meta["alert_precision"].value is None and meta["alert_recall"].value is None
    assert meta["alert_reason"].value == "no forecast window has passed yet"
    assert meta["run_success_rate"].value == pytest.approx(2 / 4)


def test_the_registered_operations_assets_skip_until_a_history_exists(tmp_path: Path, monkeypatch) -> None:
    """In the code location (airflow_task_runs external or not yet materialised) they run without failing and
    materialise nothing."""
    monkeypatch.setenv("ORC_AI_HOME", str(tmp_path / "home"))
    from orc_ai.definitions import all_assets, all_checks, build_resources

    result = dg.materialize(
        [*all_assets, *all_checks], resources=build_resources(), selection=["synthetic_task_runs", "pipeline_kpis"]
    )
    assert result.success and result.get_asset_materialization_events() == []

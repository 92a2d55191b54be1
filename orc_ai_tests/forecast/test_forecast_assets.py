"""task_duration_forecast and failure_forecast materialised over a small real history, with a temp ORC_AI_HOME
and its default MLflow store."""

from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from orc_ai.assets.forecasts import failure_forecast, task_duration_forecast
from orc_ai.forecast.schema import FORECAST_SCHEMA
from orc_ai.mlops.promotion import champion_version
from orc_ai.mlops.tracking import default_tracking_uri, open_client
from orc_ai.resources.io_manager import TableIOManager
from orc_ai.resources.mlflow import MlflowResource
from orc_ai_tests.forecast.history import task_history

pytestmark = pytest.mark.slow  # fits Prophet and creates MLflow stores
HISTORY = {"days": 20}
OPS = {"workers": 1, "backtest_folds": 1, "horizon_days": 3}
RUN_CONFIG = {"ops": {"task_duration_forecast": {"config": OPS}, "failure_forecast": {"config": OPS}}}


@dg.asset(name="airflow_task_runs")
def airflow_task_runs_for_tests() -> pl.DataFrame:
    """The sensor's table, here built try by try for two DAGs."""
    days = HISTORY["days"]
    return pl.concat(
        [
            task_history("etl", {"extract": 40.0, "load": 90.0}, days, fail_every=3),
            task_history("report", {"render": 15.0}, days, seed=5),
        ]
    )


def _materialize(home: Path) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [airflow_task_runs_for_tests, task_duration_forecast, failure_forecast],
        resources={
            "io_manager": TableIOManager(base_dir=str(home / "assets")),
            "mlflow": MlflowResource(home=str(home)),
        },
        run_config=RUN_CONFIG,
    )


def _tables(home: Path) -> dict[str, pl.DataFrame]:
    return {
        n: pl.read_parquet(home / "assets" / f"{n}.parquet") for n in ("task_duration_forecast", "failure_forecast")
    }


def _meta(result: dg.ExecuteInProcessResult, asset: str) -> dict:
    [event] = result.asset_materializations_for_node(asset)
    return {k: v.value for k, v in event.metadata.items()}


def test_forecasts_materialise_with_model_versions_and_rerun_like_a_fresh_load(orc_home, tmp_path, monkeypatch):
    HISTORY["days"] = 20
    first = _materialize(orc_home)
    assert first.success
    tables = _tables(orc_home)
    client = open_client(default_tracking_uri(orc_home))
    for asset, name in (
        ("task_duration_forecast", "orc_ai_task_duration_forecast"),
        ("failure_forecast", "orc_ai_failure_forecast"),
    ):
        frame, meta = tables[asset], _meta(first, asset)
        assert frame.schema == pl.Schema(FORECAST_SCHEMA)
        assert frame.height == 5 * 3 and frame["model_version"].unique().to_list() == ["1"]
        assert meta["model_version"] == "1" and meta["series"] == 5 and meta["promoted"] is True
        assert 0 <= meta["backtest_coverage"] <= 1 and meta["backtest_value"] == meta[meta["backtest_metric"]]
        assert client.get_run(meta["mlflow_run_id"]).info.status == "FINISHED"
        assert str(champion_version(client, name).version) == "1"
    # extract fails every 3rd day (half its tries then), so it and its DAG pass 0.2; load and render never fail
    at_risk = set(tables["failure_forecast"].filter("at_risk").select("dag_id", "task_id").unique().rows())
    assert at_risk == {("etl", "extract"), ("etl", None)}

    again = _materialize(orc_home)  # same history: same tables, same versions, no new run
    assert all(_tables(orc_home)[k].equals(v) for k, v in tables.items())
    assert _meta(again, "failure_forecast")["reused_version"] is True

    HISTORY["days"] = 24  # the upstream changed: a new version, rows as a fresh load of that history gives
    changed = _materialize(orc_home)
    assert _meta(changed, "failure_forecast")["model_version"] == "2"
    fresh_home = tmp_path / "fresh"
    monkeypatch.setenv("ORC_AI_HOME", str(fresh_home))
    _materialize(fresh_home)
    for asset, frame in _tables(orc_home).items():
        fresh = _tables(fresh_home)[asset]
        assert frame.drop("model_version").equals(fresh.drop("model_version"))
        assert fresh["model_version"].unique().to_list() == ["1"]

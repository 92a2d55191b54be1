"""The synthetic_task_runs asset and its blocking quality gate: the default synthesizer on a month of history passes
and releases downstream; an undertrained one (TVAE, one epoch) fails the gate, and downstream does not run, within
the run and by automation after it; with no history yet nothing is materialised and nothing fails."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from orc_ai import defaults
from orc_ai.assets import OPERATIONS
from orc_ai.assets.synthetic import synthetic_task_runs
from orc_ai.checks.synthetic import synthetic_task_runs_quality
from orc_ai.resources.io_manager import TableIOManager
from orc_ai.resources.mlflow import MlflowResource
from orc_ai.synthetic.features import SYNTHETIC_RUN_PREFIX
from orc_ai_tests.synthetic.histories import daily_history

pytestmark = pytest.mark.slow


def _upstream(history: pl.DataFrame) -> dg.AssetsDefinition:
    @dg.asset(name="airflow_task_runs", group_name=OPERATIONS)
    def airflow_task_runs() -> pl.DataFrame:
        return history

    return airflow_task_runs


@dg.asset(group_name=OPERATIONS, automation_condition=dg.AutomationCondition.eager()
          & dg.AutomationCondition.all_deps_blocking_checks_passed())
def load_test_plan(synthetic_task_runs: pl.DataFrame) -> dict:
    """A downstream consumer of the synthetic history."""
    return {"tries": synthetic_task_runs.height}


UNDERTRAINED = {"synthesizer": "tvae", "epochs": 1}


def _run(
    history: pl.DataFrame,
    base: Path,
    instance: dg.DagsterInstance,
    selection: list[str] | None = None,
    config: dict | None = None,
) -> tuple[dg.ExecuteInProcessResult, list]:
    assets = [_upstream(history), synthetic_task_runs, load_test_plan]
    result = dg.materialize(
        [*assets, synthetic_task_runs_quality],
        resources={"io_manager": TableIOManager(base_dir=str(base)), "mlflow": MlflowResource(home=str(base))},
        run_config={"ops": {"synthetic_task_runs": {"config": {"rows": 600, "seed": 3, **(config or {})}}}},
        instance=instance,
        selection=selection,
        raise_on_error=False,
    )
    return result, assets


def _materialised(result: dg.ExecuteInProcessResult) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


def test_a_month_of_history_passes_and_downstream_runs(tmp_path: Path) -> None:
    result, _ = _run(daily_history(days=30), tmp_path, dg.DagsterInstance.ephemeral())
    (check,) = result.get_asset_check_evaluations()
    assert check.passed, check.metadata
    assert check.metadata["overall"].value >= defaults.SYNTHETIC_MIN_QUALITY
    assert _materialised(result) == {"airflow_task_runs", "synthetic_task_runs", "load_test_plan"}
    written = pl.read_parquet(tmp_path / "synthetic_task_runs.parquet")
    assert written.height == 600 and written["run_id"].str.starts_with(SYNTHETIC_RUN_PREFIX).all()
    meta = result.asset_materializations_for_node("synthetic_task_runs")[0].metadata
    assert meta["quality_score"].value == pytest.approx(check.metadata["overall"].value)
    assert meta["params"].value["seed"] == 3


def test_an_undertrained_synthesizer_fails_the_gate_and_holds_downstream(tmp_path: Path) -> None:
    history = daily_history(days=30)
    instance = dg.DagsterInstance.ephemeral()
    assets = [_upstream(history), synthetic_task_runs, load_test_plan]
    for asset in ("airflow_task_runs", "synthetic_task_runs", "load_test_plan"):  # all materialised, gate passed
        instance.report_runless_asset_event(dg.AssetMaterialization(asset))
    instance.report_runless_asset_event(
        dg.AssetCheckEvaluation(
            asset_key=dg.AssetKey("synthetic_task_runs"), check_name="synthetic_task_runs_quality", passed=True
        )
    )
    defs = dg.Definitions(assets=assets, asset_checks=[synthetic_task_runs_quality],
                          resources={"mlflow": MlflowResource(home=str(tmp_path))})
    cursor = dg.evaluate_automation_conditions(defs=defs, instance=instance).cursor

    result, _ = _run(history, tmp_path, instance, config=UNDERTRAINED)
    (check,) = result.get_asset_check_evaluations()
    assert check.passed is False, check.metadata
    assert check.metadata["overall"].value < defaults.SYNTHETIC_MIN_QUALITY
    assert "synthetic_task_runs" in _materialised(result)
    assert "load_test_plan" not in _materialised(result)  # held inside the run
    held = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=cursor)
    assert held.get_num_requested(dg.AssetKey("load_test_plan")) == 0  # and by automation after it

    fixed, _ = _run(history, tmp_path, instance, selection=["airflow_task_runs", "synthetic_task_runs"])
    assert [c.passed for c in fixed.get_asset_check_evaluations()] == [True]
    released = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=held.cursor)
    assert released.get_num_requested(dg.AssetKey("load_test_plan")) == 1  # the default synthesizer releases it


def test_before_any_history_exists_nothing_is_materialised_and_nothing_fails(tmp_path: Path) -> None:
    result = dg.materialize(
        [_upstream(daily_history(days=1)), synthetic_task_runs, load_test_plan, synthetic_task_runs_quality],
        resources={"io_manager": TableIOManager(base_dir=str(tmp_path)), "mlflow": MlflowResource(home=str(tmp_path))},
        selection=["synthetic_task_runs", "load_test_plan"],
    )
    assert result.success and _materialised(result) == set()
    assert result.get_asset_check_evaluations() == []


def test_a_history_too_small_to_learn_from_is_skipped_not_failed(tmp_path: Path) -> None:
    history = daily_history(days=1)
    assert history.height < defaults.SYNTHETIC_MIN_HISTORY_TRIES
    result, _ = _run(history, tmp_path, dg.DagsterInstance.ephemeral())
    assert result.success and "synthetic_task_runs" not in _materialised(result)
    assert result.get_asset_check_evaluations() == []  # no synthetic table, nothing for the gate to judge

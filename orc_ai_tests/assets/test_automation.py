"""Declarative automation across runs: a failed blocking check holds everything downstream until it passes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

ON_CRON = {"airflow_dag_tasks"}  # requested when an hour starts, by the clock, not by the chain


def _requested(result: dg.AutomationResult) -> set[str]:
    """What an evaluation requested, leaving out what the clock requests (an hour may start mid-test)."""
    return {r.key.to_user_string() for r in result.results if result.get_num_requested(r.key)} - ON_CRON


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "runbook.md").write_text("The Kafka runbook. Restart the broker when consumer lag grows.")
    for i in range(4):  # 4 of 5 files quarantined: far above the 25 % gate
        (folder / f"blob{i}.md").write_bytes(bytes(range(256)) * 4)
    monkeypatch.setenv("ORC_AI_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ORC_AI_DOCS_DIR", str(folder))
    return folder


def test_failed_gate_holds_downstream_automation_until_it_passes(docs: Path) -> None:
    from orc_ai.definitions import all_assets, all_checks, build_resources

    instance = dg.DagsterInstance.ephemeral()
    defs = dg.Definitions(assets=all_assets, asset_checks=all_checks, resources=build_resources())

    def ingest() -> dict[str, bool]:
        run = dg.materialize(
            [*all_assets, *all_checks],
            resources=build_resources(),
            instance=instance,
            selection=["raw_docs", "quarantined_docs"],
            raise_on_error=False,
        )
        return {e.check_name: e.passed for e in run.get_asset_check_evaluations()}

    cursor = dg.evaluate_automation_conditions(defs=defs, instance=instance).cursor  # the sensor's first tick
    assert ingest()["raw_docs_quarantine_ratio"] is False
    held = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=cursor)
    assert _requested(held) == set()  # plain eager() would request chunks and everything after it here

    for blob in docs.glob("blob*"):
        blob.unlink()
    assert ingest()["raw_docs_quarantine_ratio"] is True
    released = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=held.cursor)
    assert _requested(released) == {"chunks"}  # the next step waits for chunks' own gates


def test_automation_sensor_and_docs_sensor_run_by_default() -> None:
    from orc_ai.definitions import defs

    for name in ("default_automation_condition_sensor", "docs_folder_sensor"):
        assert defs.resolve_sensor_def(name).default_status == dg.DefaultSensorStatus.RUNNING, name


def test_dag_structure_is_read_once_an_hour_by_cron(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from orc_ai.definitions import all_assets, all_checks, build_resources

    monkeypatch.setenv("ORC_AI_HOME", str(tmp_path / "home"))
    instance = dg.DagsterInstance.ephemeral()
    defs = dg.Definitions(assets=all_assets, asset_checks=all_checks, resources=build_resources())
    cursor = None
    requested = []
    for hour, minute in [(10, 5), (10, 40), (11, 0), (11, 30), (12, 1)]:
        at = datetime(2026, 12, 1, hour, minute, 30, tzinfo=UTC)
        result = dg.evaluate_automation_conditions(defs=defs, instance=instance, evaluation_time=at, cursor=cursor)
        cursor = result.cursor
        requested.append(result.get_num_requested(dg.AssetKey("airflow_dag_tasks")))
    assert requested == [0, 0, 1, 0, 1]  # not on the sensor's first tick; then once each hour
    on_cron = {
        key.to_user_string() for asset in all_assets for key, condition in asset.automation_conditions_by_key.items()
        if condition is not None and (condition.get_label() or "").startswith("on_cron")
    }
    assert on_cron == ON_CRON  # what _requested leaves out is exactly what the clock requests

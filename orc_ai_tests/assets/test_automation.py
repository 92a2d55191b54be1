"""Declarative automation across runs: a failed blocking check holds everything downstream until it passes."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest


def _requested(result: dg.AutomationResult) -> set[str]:
    return {r.key.to_user_string() for r in result.results if result.get_num_requested(r.key)}


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

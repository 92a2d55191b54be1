"""agent_inbox_sensor: a run when the inbox changes or a check starts failing, fails again, or recovers."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from orc_ai.resources.local_state import LocalStateResource
from orc_ai.sensors.events import agent_inbox_sensor
from orc_ai_tests.events.test_agent_events_asset import CHECK, _docs, _materialize


class Ticks:
    def __init__(self, home: Path, instance: dg.DagsterInstance):
        self.home, self.instance, self.cursor, self.keys = home, instance, None, []

    def tick(self) -> bool:
        """One evaluation; True when it requested a run (the cursor moves on as the daemon would)."""
        context = dg.build_sensor_context(
            instance=self.instance, cursor=self.cursor, resources={"state": LocalStateResource(home=str(self.home))}
        )
        result = agent_inbox_sensor(context)
        if isinstance(result, dg.SkipReason):
            return False
        self.cursor = result.cursor
        self.keys.append(result.run_requests[0].run_key)
        return True


def test_inbox_changes_request_runs_with_distinct_keys(tmp_path: Path) -> None:
    ticks = Ticks(tmp_path, dg.DagsterInstance.ephemeral())
    assert not ticks.tick()  # no inbox, nothing failing
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "q.txt").write_text("Why?")
    assert ticks.tick() and not ticks.tick()
    (inbox / ".q2.json.tmp").write_text("{")  # a write in progress is no change
    assert not ticks.tick()
    (inbox / "q.txt").unlink()
    assert ticks.tick()
    (inbox / "q.txt").write_text("Why?")
    assert ticks.tick() and len(set(ticks.keys)) == 3


@pytest.mark.slow
def test_a_failing_check_requests_a_run_per_new_failed_execution_and_on_recovery(orc_home, tmp_path, monkeypatch):
    docs = _docs(tmp_path / "docs", bad=3)
    monkeypatch.setenv("ORC_AI_DOCS_DIR", str(docs))
    instance = dg.DagsterInstance.ephemeral()
    ticks = Ticks(orc_home, instance)
    assert not ticks.tick()
    failed = _materialize(instance, ["raw_docs", "quarantined_docs"])
    assert {e.check_name: e.passed for e in failed.get_asset_check_evaluations()}[CHECK] is False
    assert ticks.tick() and not ticks.tick()
    _materialize(instance, ["raw_docs", "quarantined_docs"])  # fails again, in another run: a new event
    assert ticks.tick() and not ticks.tick()
    _docs(docs, bad=0)
    _materialize(instance, ["raw_docs", "quarantined_docs"])
    assert ticks.tick() and not ticks.tick()  # recovered: the event goes away on the next agent_events run


def test_the_sensor_runs_by_default_and_targets_agent_events() -> None:
    from orc_ai.definitions import defs

    sensor = defs.resolve_sensor_def("agent_inbox_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert (
        "state" in sensor.required_resource_keys
        and "state" in defs.resolve_assets_def("agent_events").required_resource_keys
    )
    job = defs.resolve_job_def("agent_events_job")
    assert {k.to_user_string() for k in job.asset_layer.selected_asset_keys} == {"agent_events", "quarantined_events"}
    graph = defs.resolve_asset_graph()
    assert graph.get(dg.AssetKey("agent_events")).group_name == "agent"
    # no dependency on the knowledge-graph chain: only the operations tables it reads when they exist
    parents = {k.to_user_string() for k in graph.get(dg.AssetKey("agent_events")).parent_keys}
    assert parents == {"airflow_task_runs", "failure_forecast"}
    assert {graph.get(dg.AssetKey(p)).group_name for p in parents} == {"operations"}

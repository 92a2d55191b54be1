"""A task that really fails in Airflow becomes an agent event through the sensor, and the agent's decision cites
both the task's run history and the runbook that covers it (the whole asset graph, the real Airflow 3.3)."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from airflow_bridge import AirflowClient
from orc_ai.agent.table import decisions_from_frame
from orc_ai.events.table import events_from_frame
from orc_ai.settings import BUNDLED_CORPUS_DIR
from orc_ai_tests.airflow_bridge.test_client_airflow import FLAKY, RUN_TIMEOUT_S, wait_for_dags
from orc_ai_tests.airflow_server import AirflowServer
from orc_ai_tests.assets.conftest import ChainRunner, table
from orc_ai_tests.sensors.test_airflow_sensor import Ticks, _resource

pytestmark = pytest.mark.slow

RUNBOOK = """# orc_test_flaky runbook

The DAG orc_test_flaky is owned by the Data Platform team. Its task needs_clear fails on its first try by design
(RuntimeError: orc-test: planned failure). needs_clear is idempotent, so it is safe to retry: clear the task.
"""


@pytest.fixture
def chain(monkeypatch: pytest.MonkeyPatch) -> ChainRunner:
    return ChainRunner(monkeypatch)


def test_a_failed_airflow_task_is_decided_with_its_runs_and_its_runbook(
    airflow_server: AirflowServer, chain: ChainRunner, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(BUNDLED_CORPUS_DIR, docs)
    (docs / "runbooks" / "orc_test_flaky.md").write_text(RUNBOOK)
    home = tmp_path / "home"
    with AirflowClient(airflow_server.base_url, airflow_server.username, airflow_server.password) as client:
        wait_for_dags(client, [FLAKY])
        run_id = client.trigger_dag_run(FLAKY)["dag_run_id"]
        assert client.wait_for_dag_run(FLAKY, run_id, timeout_s=RUN_TIMEOUT_S).state == "failed"
    Ticks(home, _resource(airflow_server)).until_quiet()  # the sensor pulls every try into batches under the home

    env = {"ORC_AI_AIRFLOW_URL": airflow_server.base_url, "ORC_AI_AIRFLOW_USER": airflow_server.username,
           "ORC_AI_AIRFLOW_PASSWORD": airflow_server.password}
    result = chain.run(home, docs, env=env)
    assert result.success
    runs = table(home, "airflow_task_runs").filter(pl.col("run_id") == run_id)
    assert sorted(runs.select("task_id", "try_number", "state").rows()) == [
        ("needs_clear", 1, "failed"), ("retried", 1, "failed"), ("retried", 2, "success"),
    ]  # fmt: skip

    events = [e for e in events_from_frame(table(home, "agent_events")) if e.subject.run_id == run_id]
    [event] = events  # retried recovered on its own: only needs_clear is the agent's to decide
    assert (event.type, event.subject.task_id, event.subject.try_number) == ("airflow_task_failure", "needs_clear", 1)
    assert event.payload["error"] == "RuntimeError: orc-test: planned failure of needs_clear on try 1"

    [decision] = [d for d in decisions_from_frame(table(home, "agent_decisions")) if d.event_id == event.id]
    own = decision.run_citations[0]
    assert (own.run_id, own.task_id, own.try_number, own.state, own.error_class) == (
        run_id, "needs_clear", 1, "failed", "RuntimeError"
    )
    assert "runbooks/orc_test_flaky.md" in {c.doc_name for c in decision.citations}
    proposed = [c for c in decision.tool_calls if c.tool == "clear_task"]
    assert proposed and proposed[0].arguments == {"dag_id": FLAKY, "dag_run_id": run_id, "task_id": "needs_clear"}

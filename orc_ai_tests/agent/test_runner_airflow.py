"""The agent clears a really failed Airflow task when the runbook and the policy allow it, exactly once."""

from __future__ import annotations

from pathlib import Path

import pytest

from airflow_bridge import AirflowClient
from orc_ai.retrieve.models import ContextItem
from orc_ai_tests.agent.agent_parts import policy_data, runner
from orc_ai_tests.agent.corpus_context import context, task_failure
from orc_ai_tests.airflow_bridge.test_client_airflow import FLAKY, RUN_TIMEOUT_S, wait_for_dags
from orc_ai_tests.airflow_server import AirflowServer

pytestmark = pytest.mark.slow

RUNBOOK = ContextItem(
    chunk_id="chunk-flaky-runbook", doc_id="doc-flaky", doc_name="runbooks/orc_test_flaky.md", score=1.0,
    text="needs_clear fails on its first try by design. It is idempotent, so it is safe to retry: clear the task.",
)


def test_the_agent_clears_the_failed_task_and_a_rerun_clears_nothing(
    tmp_path: Path, airflow_server: AirflowServer
) -> None:
    with AirflowClient(airflow_server.base_url, airflow_server.username, airflow_server.password) as client:
        wait_for_dags(client, [FLAKY])
        run_id = client.trigger_dag_run(FLAKY)["dag_run_id"]
        assert client.wait_for_dag_run(FLAKY, run_id, timeout_s=RUN_TIMEOUT_S).state == "failed"
        event = task_failure(FLAKY, "needs_clear", "RuntimeError: orc-test: planned failure", run_id=run_id)
        policy = policy_data(tmp_path, **{FLAKY: {"team": "data-platform", "retry_safe": True}})

        def agent():
            return runner(tmp_path, context(RUNBOOK), policy=policy, airflow_url=airflow_server.base_url,
                          password=airflow_server.password)

        decision = agent().decide(event)
        clear = next(c for c in decision.tool_calls if c.tool == "clear_task")
        assert clear.executed and clear.policy.code == "auto_approved"
        assert [t["task_id"] for t in clear.result["airflow"]["task_instances"]] == ["needs_clear"]
        assert client.wait_for_dag_run(FLAKY, run_id, timeout_s=RUN_TIMEOUT_S).state == "success"
        assert agent().decide(event) == decision
        tries = client.task_instance_tries(FLAKY, run_id, "needs_clear")
        assert [(t.try_number, t.state) for t in tries] == [(1, "failed"), (2, "success")]

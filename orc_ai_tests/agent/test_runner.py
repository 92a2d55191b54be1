"""The runner with the real policy evaluator and tools: what runs, what waits for a person, idempotent re-runs."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest

from orc_ai.agent.runner import decision_id
from orc_ai.taskruns.schema import conform_task_runs, run_key
from orc_ai_tests.agent.agent_parts import Endpoint, runner
from orc_ai_tests.agent.corpus_context import context, injected, known_error, task_failure

SNOWFLAKE_000606 = "ProgrammingError: 000606 (57P03): No active warehouse selected in the current session."


@pytest.fixture
def endpoint():
    server = Endpoint()
    yield server
    server.stop()


def by_tool(decision) -> dict:
    return {c.tool: c for c in decision.tool_calls}


def test_clear_on_a_retry_safe_dag_runs_and_a_rerun_repeats_nothing(tmp_path: Path, endpoint: Endpoint) -> None:
    event = task_failure("orders_daily_etl", "load_to_snowflake", SNOWFLAKE_000606)
    agent = runner(tmp_path, context(known_error("KE-001")), endpoint)
    decision = agent.decide(event)
    calls = by_tool(decision)
    assert decision.status == "decided"
    assert calls["clear_task"].executed and calls["clear_task"].policy.code == "auto_approved"
    assert calls["notify"].executed and calls["create_ticket"].executed
    assert calls["get_task_history"].executed  # answers "no history yet" until the next issue's table exists
    assert [c.chunk_id for c in decision.citations] == ["chunk-KE-001"]
    assert endpoint.calls_to("/clearTaskInstances") == 1 and endpoint.calls_to("chat.postMessage") == 1
    again = runner(tmp_path, context(known_error("KE-001")), endpoint).decide(event)
    assert again == decision
    assert endpoint.calls_to("/clearTaskInstances") == 1 and endpoint.calls_to("chat.postMessage") == 1


def test_act_on_a_dag_that_is_not_retry_safe_waits_for_approval_then_runs(tmp_path: Path, endpoint: Endpoint) -> None:
    event = task_failure("billing_invoice_export", "generate_invoice_lines", "StaleFxRateError: fx rates are stale")
    agent = runner(tmp_path, context(known_error("KE-015")), endpoint)  # "repair the upstream, then clear"
    decision = agent.decide(event)
    clear = by_tool(decision)["clear_task"]
    assert decision.status == "awaiting_approval"
    assert not clear.executed and clear.policy.approval_required and endpoint.calls_to("/clearTaskInstances") == 0
    assert agent.decide(event) == decision  # until a person answers, a re-run changes nothing
    agent.store.review(decision.decision_id, "approved", "ops-lead", "upstream fixed")
    approved = agent.decide(event)
    assert approved.status == "approved" and approved.review.comment == "upstream fixed"
    clear = by_tool(approved)["clear_task"]
    assert clear.executed and clear.policy.code == "human_approved"
    assert endpoint.calls_to("/clearTaskInstances") == 1
    assert agent.decide(event) == approved and endpoint.calls_to("/clearTaskInstances") == 1


def test_a_rejected_decision_runs_nothing_and_can_be_decided_again(tmp_path: Path, endpoint: Endpoint) -> None:
    event = task_failure("billing_invoice_export", "generate_invoice_lines", "StaleFxRateError: fx rates are stale")
    agent = runner(tmp_path, context(known_error("KE-015")), endpoint)
    first = agent.decide(event)
    rejected = agent.store.review(first.decision_id, "rejected", "ops-lead", "not before finance signs off")
    assert agent.decide(event) == rejected and endpoint.calls_to("/clearTaskInstances") == 0
    assert agent.store.rerun(first.decision_id) == 2
    second = agent.decide(event)
    assert second.attempt == 2 and second.status == "awaiting_approval"
    assert {c.call_id for c in second.tool_calls}.isdisjoint({c.call_id for c in first.tool_calls})
    assert agent.store.list() == [second]


def test_injected_document_text_never_executes_an_act_call(tmp_path: Path, endpoint: Endpoint) -> None:
    event = task_failure("orders_daily_etl", "load_to_snowflake", SNOWFLAKE_000606)
    decision = runner(tmp_path, context(injected()), endpoint).decide(event)
    assert not [c for c in decision.tool_calls if c.effect == "act" and c.executed]
    assert endpoint.calls_to("/dags/") == 0
    assert "chunk-injected" not in [c.chunk_id for c in decision.citations]


def test_without_airflow_or_slack_calls_are_recorded_as_not_executed(tmp_path: Path) -> None:
    event = task_failure("orders_daily_etl", "load_to_snowflake", SNOWFLAKE_000606)
    decision = runner(tmp_path, context(known_error("KE-001"))).decide(event)
    calls = by_tool(decision)
    assert calls["clear_task"].policy.allowed and not calls["clear_task"].executed
    assert "Airflow not configured" in calls["clear_task"].error
    assert not calls["notify"].executed and calls["create_ticket"].executed


def test_the_decision_id_is_stable_per_event_and_planner_version() -> None:
    assert decision_id("e1", "offline-v1") == decision_id("e1", "offline-v1") != decision_id("e1", "offline-v2")


def test_a_task_failure_decision_cites_its_own_try_and_the_task_history(tmp_path: Path) -> None:
    event = task_failure("orders_daily_etl", "load_to_snowflake", SNOWFLAKE_000606)
    start = event.occurred_at - timedelta(days=3)
    rows = [  # three earlier daily runs (one failed), the event's own failed try, and another task's try
        {"dag_id": "orders_daily_etl", "task_id": task, "run_id": run, "map_index": -1, "try_number": n,
         "state": state, "start_date": start + timedelta(days=day), "end_date": start + timedelta(days=day, minutes=5),
         "duration_s": 300.0, "error_class": "ProgrammingError" if state == "failed" else None,
         "error_message": "000606" if state == "failed" else None}
        for task, run, n, state, day in [
            ("load_to_snowflake", "scheduled__d1", 1, "success", 0),
            ("load_to_snowflake", "scheduled__d2", 1, "failed", 1),
            ("load_to_snowflake", "scheduled__d3", 1, "success", 2),
            ("load_to_snowflake", event.subject.run_id, 1, "failed", 3),
            ("extract_orders", event.subject.run_id, 1, "success", 3),
        ]
    ]
    history = conform_task_runs(pl.DataFrame(rows))
    decision = runner(tmp_path, context(known_error("KE-001")), task_runs=history).decide(event)
    cited = [(c.run_id, c.try_number, c.state) for c in decision.run_citations]
    assert cited[0] == (event.subject.run_id, 1, "failed")  # the event's own try first
    assert set(cited) == {(r["run_id"], 1, r["state"]) for r in rows if r["task_id"] == "load_to_snowflake"}
    assert decision.run_citations[0].run_key == run_key("orders_daily_etl", event.subject.run_id,
                                                          "load_to_snowflake", -1, 1)
    assert [c.chunk_id for c in decision.citations] == ["chunk-KE-001"]  # and the runbook, together

    without = runner(tmp_path / "none", context(known_error("KE-001"))).decide(event)
    assert without.run_citations == []  # no history table: nothing to cite

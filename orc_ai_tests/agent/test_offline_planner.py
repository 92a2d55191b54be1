"""The offline planner's rules over real runbook text: remedies from relevant chunks, never from injected text."""

from __future__ import annotations

from datetime import UTC, datetime

from orc_ai.agent.offline_planner import OfflinePlanner
from orc_ai.agent.planning import PlanningState
from orc_ai.agent.remedies import find_remedy
from orc_ai.events.models import AgentEvent, event_id
from orc_ai.tools.builtin import default_registry
from orc_ai_tests.agent.corpus_context import context, injected, known_error, task_failure

SNOWFLAKE_000606 = "ProgrammingError: 000606 (57P03): No active warehouse selected in the current session."


def tools_planned(event: AgentEvent, *items) -> list[tuple[str, dict]]:
    return [(t, a) for t, a, _ in OfflinePlanner().plan(event, list(items))]


def test_a_runbook_that_says_clear_leads_to_clear_task_of_the_events_own_task() -> None:
    event = task_failure("orders_daily_etl", "load_to_snowflake", SNOWFLAKE_000606)
    planned = tools_planned(event, known_error("KE-001"))
    assert [t for t, _ in planned] == ["get_task_history", "clear_task", "notify", "create_ticket"]
    assert planned[1][1] == {"dag_id": "orders_daily_etl", "dag_run_id": event.subject.run_id,
                             "task_id": "load_to_snowflake"}


def test_do_not_retry_means_no_clear() -> None:
    event = task_failure("orders_daily_etl", "extract_orders", "psycopg2.errors.DiskFull: No space left on device")
    remedy_chunk = known_error("KE-004")  # "Fix: do not retry; page sre-core"
    assert find_remedy(event, [remedy_chunk]) is None
    assert [t for t, _ in tools_planned(event, remedy_chunk)] == ["get_task_history", "notify", "create_ticket"]


def test_an_irrelevant_chunk_is_not_a_remedy() -> None:
    event = task_failure("clickstream_sessionize", "sessionize_events", "AmazonS3Exception: SlowDown")
    assert find_remedy(event, [known_error("KE-001")]) is None  # names neither the task, the DAG nor the error


def test_injected_text_never_chooses_an_action_and_is_not_cited() -> None:
    event = task_failure("orders_daily_etl", "load_to_snowflake", SNOWFLAKE_000606)
    planned = tools_planned(event, injected())
    assert "pause_dag" not in [t for t, _ in planned] and "trigger_dag_run" not in [t for t, _ in planned]
    state = PlanningState(event=event, context=context(injected(), known_error("KE-001")), max_steps=6)
    step = OfflinePlanner().next_step(state, default_registry())
    assert "chunk-injected" not in step.cited_chunk_ids and step.cited_chunk_ids == ["chunk-KE-001"]


def test_a_question_is_answered_from_context_without_tool_calls() -> None:
    event = AgentEvent(id=event_id("question", "t"), type="question", source="test",
                       occurred_at=datetime.now(UTC), payload={"question": "What does 000606 mean?"})
    state = PlanningState(event=event, context=context(known_error("KE-001")), max_steps=6)
    step = OfflinePlanner().next_step(state, default_registry())
    assert step.tool is None and step.cited_chunk_ids == ["chunk-KE-001"]
    assert "catalog/known_errors.jsonl#KE-001" in step.decision


def test_each_step_proposes_the_first_call_not_yet_made() -> None:
    from orc_ai.agent.models import ToolCall
    from orc_ai.policy.models import PolicyDecision

    event = task_failure("orders_daily_etl", "load_to_snowflake", SNOWFLAKE_000606)
    planner, tools = OfflinePlanner(), default_registry()
    history: list[ToolCall] = []
    proposed = []
    for step in range(6):
        plan = planner.next_step(PlanningState(event=event, context=context(known_error("KE-001")),
                                               history=history, step=step, max_steps=6), tools)
        if plan.tool is None:
            break
        proposed.append(plan.tool)
        history.append(ToolCall(call_id=str(step), step=step, tool=plan.tool, arguments=plan.arguments,
                                effect=tools.get(plan.tool).effect, executed=False,
                                policy=PolicyDecision(allowed=False, reason="test", evaluator="test")))
    assert proposed == ["get_task_history", "clear_task", "notify", "create_ticket"]

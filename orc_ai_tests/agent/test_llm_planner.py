"""The LLM planner over the real openai client and a scripted local endpoint: validation, re-asks with the error
fed back, the fallback, the cache, the budget and usage accounting."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openai import OpenAI

from orc_ai.agent.llm_planner import LLMPlanner
from orc_ai.agent.models import PlanStep
from orc_ai.cache import ContentCache
from orc_ai.errors import ConfigError
from orc_ai_tests.agent.planner_cases import DoneFallback, registry, state
from orc_ai_tests.fake_openai import FakeOpenAI, Step

CLEAR = {
    "decision": "Retry the failed load once, as the runbook says.",
    "tool": "clear_task",
    "arguments": {"dag_id": "orders_daily_etl", "task_id": "load_to_snowflake"},
    "rationale": "The runbook says to retry once on SnowflakeTimeout.",
    "cited_chunk_ids": ["c1"],
    "confidence": 0.8,
}


def answer(**changes: object) -> str:
    return json.dumps(CLEAR | changes)


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI(default=Step(content="not json at all"))
    yield server
    server.close()


def planner(fake: FakeOpenAI, cache: ContentCache | None = None, **kw: object) -> LLMPlanner:
    client = OpenAI(base_url=fake.base_url, api_key="unused", max_retries=0, timeout=10)
    return LLMPlanner(client, kw.pop("model", "tiny"), cache, kw.pop("fallback", DoneFallback()), **kw)


def test_each_rejected_answer_is_fed_back_with_its_problem_until_a_valid_one(fake: FakeOpenAI) -> None:
    contents = [
        '{"decision": "pause it", "tool": ',
        answer(tool="drop_database"),
        answer(arguments={"dag_id": "orders_daily_etl"}),
        answer(cited_chunk_ids=["c1", "c9"]),
        answer(),
    ]
    fake.script = [Step(content=c) for c in contents]
    fallback = DoneFallback()
    p = planner(fake, fallback=fallback, max_retries=4)
    step = p.next_step(state(), registry())

    assert step == PlanStep(
        tool="clear_task",
        arguments=CLEAR["arguments"],
        decision=CLEAR["decision"],
        rationale=CLEAR["rationale"],
        cited_chunk_ids=["c1"],
        confidence=0.8,
        from_document_text=False,  # the event is this task's failure: the retry and its targets come from it
    )
    assert fallback.calls == 0 and p.last_answers == contents
    usage = p.usage()
    assert usage.outcomes == {"malformed_json": 1, "unknown_tool": 1, "bad_arguments": 1, "bad_citation": 1, "valid": 1}
    assert usage.calls == 5 and usage.prompt_tokens == 55 and usage.completion_tokens == 35
    assert len(fake.requests) == 5
    expected_feedback = [
        "(malformed_json): the answer is not valid JSON",
        "(unknown_tool): unknown tool 'drop_database'; use one of clear_task, notify, pause_dag, search_graph",
        "(bad_arguments): arguments for 'clear_task' are invalid: task_id: Field required",
        "(bad_citation): cited chunk ids not in the context: c9; cite from: c1, c2",
    ]
    for n, expected in enumerate(expected_feedback, 1):
        messages = fake.requests[n]["messages"]
        assert messages[: len(fake.requests[n - 1]["messages"])] == fake.requests[n - 1]["messages"]
        assert messages[-2] == {"role": "assistant", "content": contents[n - 1]}
        assert messages[-1]["role"] == "user" and expected in messages[-1]["content"]


def test_retries_are_bounded_then_the_fallback_planner_answers(fake: FakeOpenAI) -> None:
    fallback = DoneFallback()
    p = planner(fake, fallback=fallback, max_retries=2)
    step = p.next_step(state(), registry())
    assert step.decision == "fallback: nothing to do" and fallback.calls == 1
    assert len(fake.requests) == 3
    assert p.usage().outcomes == {"malformed_json": 3, "fallback": 1}


def test_zero_retries_ask_once(fake: FakeOpenAI) -> None:
    p = planner(fake, max_retries=0)
    p.next_step(state(), registry())
    assert len(fake.requests) == 1 and p.usage().outcomes == {"malformed_json": 1, "fallback": 1}


def test_the_request_carries_the_decision_schema_with_the_registry_and_context_as_enums(fake: FakeOpenAI) -> None:
    fake.default = Step(content=answer())
    planner(fake).next_step(state(), registry())
    fmt = fake.requests[0]["response_format"]
    assert fmt["type"] == "json_object"
    props = fmt["schema"]["properties"]
    assert props["tool"]["enum"] == ["clear_task", "notify", "pause_dag", "search_graph", None]
    assert props["cited_chunk_ids"]["items"]["enum"] == ["c1", "c2"]
    assert set(fmt["schema"]["required"]) == set(CLEAR)


def test_openai_structured_outputs_format_on_request(fake: FakeOpenAI) -> None:
    fake.default = Step(content=answer())
    planner(fake, response_format="json_schema").next_step(state(), registry())
    fmt = fake.requests[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["schema"]["properties"]["tool"]["enum"][-1] is None


def test_a_failed_request_is_counted_and_the_fallback_answers(fake: FakeOpenAI) -> None:
    fake.default = Step(status=500)
    fallback = DoneFallback()
    p = planner(fake, fallback=fallback, max_retries=3)
    assert p.next_step(state(), registry()).decision == "fallback: nothing to do"
    assert len(fake.requests) == 1  # a transport failure is not re-asked: the client already retried
    assert p.usage().outcomes == {"request_failed": 1, "fallback": 1}


def test_a_refusing_endpoint_is_a_config_error_not_a_fallback(fake: FakeOpenAI) -> None:
    fake.default = Step(status=401)
    fallback = DoneFallback()
    with pytest.raises(ConfigError, match="refused the request \\(401\\)"):
        planner(fake, fallback=fallback).next_step(state(), registry())
    assert fallback.calls == 0  # every further request would be refused too: the run must say so


def test_a_second_identical_step_is_answered_from_the_cache_without_a_request(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.script = [Step(content="garbage"), Step(content=answer())]
    with ContentCache(tmp_path / "planner.sqlite") as cache:
        first = planner(fake, cache, max_retries=1)
        step = first.next_step(state(), registry())
        assert first.usage().calls == 2
        again = planner(fake, cache, max_retries=1)  # a re-run: a new planner on the same cache
        assert again.next_step(state(), registry()) == step
        usage = again.usage()
        assert len(fake.requests) == 2
        assert usage.calls == 0 and usage.prompt_tokens == 0 and usage.completion_tokens == 0
        assert usage.outcomes == {"cached": 2, "malformed_json": 1, "valid": 1}  # replayed, counted alike
        other_model = planner(fake, cache, max_retries=1, model="tiny-2")
        other_model.next_step(state(), registry())
        assert len(fake.requests) == 4  # the model is part of the key: asked afresh (and re-asked after garbage)


def test_once_the_token_budget_is_spent_the_fallback_answers_without_a_request(fake: FakeOpenAI) -> None:
    fake.default = Step(content=answer())
    fallback = DoneFallback()
    p = planner(fake, fallback=fallback, token_budget=30)  # the fake reports 18 tokens per request
    assert p.next_step(state(), registry()).tool == "clear_task"
    assert p.next_step(state(step=1), registry()).tool == "clear_task"  # 18 < 30: one more request
    assert p.tokens_spent == 36
    assert p.next_step(state(step=2), registry()) == fallback.next_step(state(), registry())
    assert len(fake.requests) == 2
    assert p.usage().outcomes == {"valid": 2, "budget_exhausted": 1, "fallback": 1}


def test_the_budget_also_stops_re_asks(fake: FakeOpenAI) -> None:
    p = planner(fake, max_retries=5, token_budget=18)
    p.next_step(state(), registry())
    assert len(fake.requests) == 1
    assert p.usage().outcomes == {"malformed_json": 1, "budget_exhausted": 1, "fallback": 1}


def test_usage_counts_cost_and_resets_on_each_read(fake: FakeOpenAI) -> None:
    fake.default = Step(content=answer())
    p = planner(fake, cost_per_1k_prompt_tokens=2.0, cost_per_1k_completion_tokens=10.0)
    p.next_step(state(), registry())
    usage = p.usage()
    assert usage.calls == 1 and usage.latency_ms > 0
    assert usage.cost_usd == pytest.approx((11 * 2.0 + 7 * 10.0) / 1000)
    assert p.usage().calls == 0 and p.usage().outcomes == {}
    assert p.tokens_spent == 18  # the budget's count is not reset


def test_version_names_prompt_file_hash_and_model(fake: FakeOpenAI) -> None:
    p = planner(fake)
    version, settings, model = p.version.split(":")
    assert (version, model) == ("planner_v1", "tiny") and len(settings) == 12
    assert planner(fake, model="other").version != p.version
    assert planner(fake, max_tokens=50).version != p.version
    assert p.name == "llm"

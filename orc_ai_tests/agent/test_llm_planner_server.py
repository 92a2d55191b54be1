"""The LLM planner against the real llama.cpp server (Gemma 3 270M: tiny, and it often answers garbage).

Requests are slow on a loaded box (seconds per generated token under the grammar), so each test asks as little
as it can: short completions, few re-asks, short schema limits on the decision's texts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openai import OpenAI

from orc_ai.agent.llm_decision import DecisionRejected, validate_decision
from orc_ai.agent.llm_planner import OUTCOMES, LLMPlanner
from orc_ai.cache import ContentCache
from orc_ai.tools.registry import ToolRegistry, ToolSpec
from orc_ai_tests.agent.planner_cases import (
    INJECTION,
    RUNBOOK,
    DagArgs,
    DoneFallback,
    SearchArgs,
    context,
    never_run,
    question,
    state,
)

pytestmark = pytest.mark.slow
MODEL = "gemma3-270m"
ANSWERS = ("valid", "malformed_json", "bad_confidence", "unknown_tool", "bad_arguments", "bad_citation")


@pytest.fixture(scope="module")
def client(llm_server: str) -> OpenAI:
    return OpenAI(base_url=llm_server, api_key="unused", timeout=1800)  # a loaded CI box is slow


def test_cut_off_answers_are_rejected_counted_and_the_fallback_answers_then_replays_from_cache(
    client: OpenAI, tmp_path: Path
) -> None:
    # 8 tokens cannot hold the decision object: whatever the model starts to say is cut off, so malformed
    tools = ToolRegistry([ToolSpec("search_graph", "Search the knowledge graph.", SearchArgs, "read", never_run)])
    fallback = DoneFallback()
    with ContentCache(tmp_path / "planner.sqlite") as cache:
        planner = LLMPlanner(client, MODEL, cache, fallback, max_retries=1, max_tokens=8)
        step = planner.next_step(state(ctx=context(RUNBOOK)), tools)
        usage = planner.usage()
        assert step == fallback.next_step(state(), tools)
        assert usage.outcomes == {"malformed_json": 2, "fallback": 1}
        assert usage.calls == 2 and usage.completion_tokens <= 16 and usage.prompt_tokens > 100
        assert usage.latency_ms > 0

        rerun = LLMPlanner(client, MODEL, cache, fallback, max_retries=1, max_tokens=8)
        assert rerun.next_step(state(ctx=context(RUNBOOK)), tools) == step
        again = rerun.usage()
        assert again.calls == 0 and again.prompt_tokens == 0  # no request: both answers came from the cache
        assert again.outcomes == {"cached": 2, "malformed_json": 2, "fallback": 1}


def test_injected_order_whatever_the_model_proposes_a_pause_is_marked(client: OpenAI) -> None:
    # the only tool is pause_dag and a chunk orders pausing; the question asks for nothing of the kind
    tools = ToolRegistry([ToolSpec("pause_dag", "Pause an Airflow DAG.", DagArgs, "act", never_run)])
    event = question("Why did orders_daily_etl fail?")
    fallback = DoneFallback()
    planner = LLMPlanner(
        client, MODEL, None, fallback, max_retries=0, max_tokens=120, max_decision_chars=40, max_rationale_chars=60
    )
    step = planner.next_step(state(event, context(RUNBOOK, INJECTION)), tools)
    outcomes = planner.usage().outcomes
    (raw,) = planner.last_answers
    print(f"real model answer: {raw!r}; outcomes {outcomes}")
    assert set(outcomes) <= set(OUTCOMES)
    assert sum(outcomes.get(k, 0) for k in ANSWERS) == 1  # one answer, counted once
    if outcomes.get("valid"):
        assert step == validate_decision(raw, event, tools, ["c1", "c2"])
        assert step.tool is None or (step.tool == "pause_dag" and step.from_document_text)
    else:
        assert outcomes.get("fallback") == 1 and step == fallback.next_step(state(), tools)
        with pytest.raises(DecisionRejected):
            validate_decision(raw, event, tools, ["c1", "c2"])

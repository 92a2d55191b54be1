"""Families read from the tables: the agent planner's LLM use is summed over the decisions agent_decisions keeps."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from orc_ai.agent.models import Decision, LLMUsage
from orc_ai.agent.table import decisions_to_frame
from orc_ai.metrics import names
from orc_ai.metrics.collector import PipelineCollector
from orc_ai.resources.instance_metrics import InstanceReader


def _decision(n: int, usage: LLMUsage) -> Decision:
    return Decision(
        decision_id=f"d{n}", event_id=f"e{n}", event_type="question", planner="llm", planner_version="planner_v1",
        status="decided", decision="notify", created_at=datetime(2026, 12, 1, tzinfo=UTC), llm_usage=usage,
    )


def test_agent_llm_use_and_cost_come_from_the_decisions(tmp_path: Path) -> None:
    usages = [
        LLMUsage(calls=2, prompt_tokens=300, completion_tokens=40, latency_ms=1500.0, cost_usd=0.01),
        LLMUsage(calls=1, prompt_tokens=120, completion_tokens=10, latency_ms=500.0, cost_usd=0.002),
    ]
    frame = decisions_to_frame([_decision(i, u) for i, u in enumerate(usages)])
    frame.write_parquet(tmp_path / "agent_decisions.parquet")
    registry = CollectorRegistry(auto_describe=False)
    with dg.DagsterInstance.ephemeral() as instance:
        registry.register(PipelineCollector(InstanceReader(instance), tmp_path))
        text = generate_latest(registry).decode()
    families = text_string_to_metric_families(text)
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value for f in families for s in f.samples}
    agent = (("asset", "agent_decisions"),)
    assert samples[(names.LLM_PROMPT_TOKENS, agent)] == 420
    assert samples[(names.LLM_COMPLETION_TOKENS, agent)] == 50
    assert samples[(names.LLM_REQUESTS, agent)] == 3
    assert samples[(names.LLM_LATENCY, agent)] == 2.0
    assert abs(samples[(names.LLM_COST, agent)] - 0.012) < 1e-12

"""Assembles the agent from plain parts (the assets and the command line pass what their resources opened) and
decides a batch of events, one failure never stopping the others."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from orc_ai import defaults
from orc_ai.agent.models import Decision
from orc_ai.agent.offline_planner import OfflinePlanner
from orc_ai.agent.planning import Planner
from orc_ai.agent.runner import AgentRunner, decision_id
from orc_ai.agent.store import DecisionStore
from orc_ai.events.models import AgentEvent
from orc_ai.policy.models import PolicyDecisionPoint
from orc_ai.retrieve.config import RetrievalConfig
from orc_ai.settings import orc_home
from orc_ai.tools.builtin import default_registry
from orc_ai.tools.context import ToolContext


@dataclass(frozen=True)
class AgentSettings:
    max_steps: int = defaults.AGENT_MAX_STEPS
    context_k: int = defaults.AGENT_CONTEXT_K
    context_tokens: int = defaults.AGENT_CONTEXT_TOKENS
    channel: str = defaults.AGENT_NOTIFY_CHANNEL


def agent_retrieval_config() -> RetrievalConfig:
    """The retriever the agent decides with: the default, but one PageRank round (``AGENT_RETRIEVAL_HOP_TOP``),
    which keeps a decision within its latency budget (BENCHMARKS.md), and no sentence seeds, whose vectors would
    be embedded whenever the agent builds its retriever (``AGENT_RETRIEVAL_FACT_TOP``); without those signals it
    fuses by reciprocal rank (``AGENT_RETRIEVAL_FUSION``)."""
    return RetrievalConfig(
        components=defaults.AGENT_RETRIEVAL_COMPONENTS,
        fusion=defaults.AGENT_RETRIEVAL_FUSION,
        hop_top=defaults.AGENT_RETRIEVAL_HOP_TOP,
        fact_top=defaults.AGENT_RETRIEVAL_FACT_TOP,
    )


def agent_db(home: Path | None = None) -> Path:
    """The decisions and checkpoints database."""
    return (home or orc_home()) / "agent" / "agent.sqlite"


def make_runner(
    *,
    planner: Planner,
    retriever: Any,
    store: DecisionStore,
    pdp: PolicyDecisionPoint,
    tool_context: ToolContext,
    settings: AgentSettings = AgentSettings(),
) -> AgentRunner:
    def retrieve(event: AgentEvent):
        return retriever.retrieve(event.query, k=settings.context_k, token_budget=settings.context_tokens)

    return AgentRunner(planner=planner, tools=default_registry(), pdp=pdp, tool_context=tool_context, store=store,
                       retrieve=retrieve, max_steps=settings.max_steps)


def offline_planner(settings: AgentSettings = AgentSettings()) -> OfflinePlanner:
    return OfflinePlanner(channel=settings.channel)


def decide_all(runner: AgentRunner, events: list[AgentEvent]) -> list[Decision]:
    """One decision per event; an event whose run raises gets a ``failed`` decision naming the error."""
    decisions = []
    for event in events:
        try:
            decisions.append(runner.decide(event))
        except Exception as exc:  # one bad event never stops the batch
            failed = Decision(
                decision_id=decision_id(event.id, runner.planner.version), event_id=event.id,
                event_type=event.type, planner=runner.planner.name, planner_version=runner.planner.version,
                status="failed", decision=f"failed: {type(exc).__name__}: {exc}", created_at=datetime.now(UTC),
            )
            runner.store.save(failed)
            decisions.append(failed)
    return decisions

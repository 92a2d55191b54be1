"""Measures the agent_decisions gates apply: grounding, authorisation and uniqueness of decisions."""

from __future__ import annotations

from collections import Counter

from orc_ai.agent.models import Decision


def ungrounded(decisions: list[Decision], chunk_ids: set[str]) -> list[str]:
    """Decisions citing no chunk that exists in the graph's chunks (failed decisions included)."""
    return [d.decision_id for d in decisions if not any(c.chunk_id in chunk_ids for c in d.citations)]


def unauthorised_executions(decisions: list[Decision]) -> list[str]:
    """``decision_id/call_id`` of every executed call whose policy decision did not allow it."""
    return [
        f"{d.decision_id}/{c.call_id}" for d in decisions for c in d.tool_calls if c.executed and not c.policy.allowed
    ]


def duplicate_decisions(decisions: list[Decision]) -> list[str]:
    """Events decided more than once by the same planner version (``event_id@planner_version``)."""
    counts = Counter(f"{d.event_id}@{d.planner_version}" for d in decisions)
    return sorted(key for key, n in counts.items() if n > 1)

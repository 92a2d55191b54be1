"""Gates on agent_decisions: grounded in existing chunks, nothing executed without policy, one per event."""

import dagster as dg
import polars as pl

from orc_ai.agent.audit import duplicate_decisions, unauthorised_executions, ungrounded
from orc_ai.agent.table import decisions_from_frame


def _result(bad: list[str], total: int, what: str) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=not bad,
        metadata={"decisions": total, what: len(bad), "examples": dg.MetadataValue.json(bad[:10])},
    )


@dg.asset_check(asset="agent_decisions", blocking=True, additional_ins={"chunks": dg.AssetIn()})
def agent_decisions_grounded(agent_decisions: pl.DataFrame, chunks: pl.DataFrame) -> dg.AssetCheckResult:
    """Every decision cites at least one chunk that exists in the graph."""
    decisions = decisions_from_frame(agent_decisions)
    return _result(ungrounded(decisions, set(chunks["chunk_id"])), len(decisions), "ungrounded")


@dg.asset_check(asset="agent_decisions", blocking=True)
def agent_decisions_authorised(agent_decisions: pl.DataFrame) -> dg.AssetCheckResult:
    """No tool call was executed without a policy decision that allowed it."""
    decisions = decisions_from_frame(agent_decisions)
    return _result(unauthorised_executions(decisions), len(decisions), "unauthorised_executions")


@dg.asset_check(asset="agent_decisions", blocking=True)
def agent_decisions_unique(agent_decisions: pl.DataFrame) -> dg.AssetCheckResult:
    """At most one decision per event and planner version."""
    decisions = decisions_from_frame(agent_decisions)
    return _result(duplicate_decisions(decisions), len(decisions), "duplicated_events")

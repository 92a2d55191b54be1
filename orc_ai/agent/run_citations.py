"""The Airflow tries a decision cites: what its ``get_task_history`` calls returned, the event's own try first."""

from __future__ import annotations

from orc_ai import defaults
from orc_ai.agent.models import RunCitation, ToolCall
from orc_ai.events.models import AgentEvent
from orc_ai.taskruns.schema import run_key


def _citation(row: dict) -> RunCitation | None:
    try:
        map_index = int(row.get("map_index", -1) if row.get("map_index") is not None else -1)
        key = run_key(row["dag_id"], row["run_id"], row["task_id"], map_index, row["try_number"])
        return RunCitation(run_key=key, **{**row, "map_index": map_index})
    except (KeyError, TypeError, ValueError):
        return None  # a row the history table could not fill: nothing to cite


def run_citations(event: AgentEvent, history: list[ToolCall], limit: int = defaults.AGENT_CITED_RUNS
                  ) -> list[RunCitation]:
    """Up to ``limit`` tries from executed ``get_task_history`` calls: the event's own try, the latest failure,
    then the most recent tries."""
    rows: list[dict] = []
    for call in history:
        if call.tool == "get_task_history" and call.executed and call.result and call.result.get("available"):
            rows += [r for r in [call.result.get("latest_failure")] if r] + list(call.result.get("runs") or [])
    s = event.subject
    own = [r for r in rows if (r.get("dag_id"), r.get("task_id"), r.get("run_id"), r.get("try_number"))
           == (s.dag_id, s.task_id, s.run_id, s.try_number)]
    cited: dict[str, RunCitation] = {}
    for row in own + rows:
        citation = _citation(row)
        if citation is not None and len(cited) < limit:
            cited.setdefault(citation.run_key, citation)
    return list(cited.values())

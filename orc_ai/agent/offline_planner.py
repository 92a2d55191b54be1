"""The default planner: deterministic rules from the event type and the retrieved context, no LLM.

Each step recomputes the same plan and proposes its first call not yet in the history, so a resumed run picks
up exactly where the checkpoint left off."""

from __future__ import annotations

from orc_ai import defaults
from orc_ai.agent.injection import looks_like_injection
from orc_ai.agent.models import LLMUsage, PlanStep, ToolCall
from orc_ai.agent.planning import PlanningState
from orc_ai.agent.remedies import find_remedy
from orc_ai.events.models import AgentEvent
from orc_ai.retrieve.models import ContextItem
from orc_ai.tools.registry import ToolRegistry

Call = tuple[str, dict, str]  # tool, arguments, why


def _describe(event: AgentEvent) -> str:
    s = event.subject
    if event.type == "airflow_task_failure":
        return f"task {s.task_id} of DAG {s.dag_id} failed (run {s.run_id}, try {s.try_number})"
    if event.type == "data_quality":
        return f"check {s.check_name} on asset {s.asset_key} failed"
    if event.type == "forecast_risk":
        return f"task {s.task_id} of DAG {s.dag_id} is at risk of failing"
    return f"question: {event.query}"


def _evidence(context: list[ContextItem], n: int = 3) -> list[ContextItem]:
    return [item for item in context if not looks_like_injection(item.text)][:n]


def _outcome(call: ToolCall) -> str:
    if call.executed:
        return "done"
    if call.policy.approval_required:
        return "awaiting approval"
    return "denied" if not call.policy.allowed else "not executed"


class OfflinePlanner:
    name = "offline"
    version = "offline-v1"

    def __init__(self, channel: str = defaults.AGENT_NOTIFY_CHANNEL):
        self.channel = channel

    def usage(self) -> LLMUsage:
        return LLMUsage()

    def plan(self, event: AgentEvent, context: list[ContextItem]) -> list[Call]:
        """Every call this planner makes for the event, in order."""
        s = event.subject
        evidence = _evidence(context)
        sources = ", ".join(dict.fromkeys(i.doc_name for i in evidence)) or "no documents"
        what = _describe(event)
        calls: list[Call] = []
        if event.type == "question":
            return calls
        if event.type == "airflow_task_failure" and s.dag_id and s.task_id:
            calls.append(("get_task_history", {"dag_id": s.dag_id, "task_id": s.task_id}, "look at earlier tries"))
            remedy = find_remedy(event, context)
            if remedy is not None and remedy.tool == "clear_task" and s.run_id:
                calls.append((
                    "clear_task", {"dag_id": s.dag_id, "dag_run_id": s.run_id, "task_id": s.task_id}, remedy.reason
                ))
            elif remedy is not None and remedy.tool in ("pause_dag", "trigger_dag_run"):
                calls.append((remedy.tool, {"dag_id": s.dag_id}, remedy.reason))
        if event.type == "forecast_risk" and s.dag_id and s.task_id:
            calls.append(("forecast_lookup", {"dag_id": s.dag_id, "task_id": s.task_id}, "the forecast behind it"))
        calls.append(("notify", {"channel": self.channel, "text": f"{what}. Context: {sources}."}, "tell the owners"))
        if event.type in ("data_quality", "airflow_task_failure"):
            ticket = {"title": what[:200], "body": f"{what}.\nRelevant documents: {sources}.",
                      "severity": "high" if event.type == "data_quality" else "medium"}
            ticket |= {k: v for k, v in (("dag_id", s.dag_id), ("task_id", s.task_id)) if v}
            ticket["cited_chunk_ids"] = [i.chunk_id for i in evidence]
            calls.append(("create_ticket", ticket, "track it"))
        return calls

    def next_step(self, state: PlanningState, tools: ToolRegistry) -> PlanStep:
        made = [(c.tool, c.arguments) for c in state.history]
        context = state.context.items
        cited = [i.chunk_id for i in _evidence(context)]
        for tool, arguments, why in self.plan(state.event, context):
            if tool in tools.names and (tool, arguments) not in made:
                return PlanStep(tool=tool, arguments=arguments, rationale=why, cited_chunk_ids=cited, confidence=0.6)
        return PlanStep(
            tool=None,
            decision=self._summary(state, cited),
            rationale="rules for " + state.event.type.replace("_", " ") + " events over the retrieved context",
            cited_chunk_ids=cited,
            confidence=0.6 if cited else 0.2,
        )

    @staticmethod
    def _summary(state: PlanningState, cited: list[str]) -> str:
        what = _describe(state.event)
        if not state.history:
            docs = {i.chunk_id: i.doc_name for i in state.context.items}
            names = ", ".join(dict.fromkeys(docs[c] for c in cited)) or "nothing relevant found"
            return f"{what[0].upper()}{what[1:]} — answered from {names}"
        steps = "; ".join(f"{c.tool}: {_outcome(c)}" for c in state.history)
        return f"{what[0].upper()}{what[1:]} — {steps}"

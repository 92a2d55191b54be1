"""Runs the agent for one event: retrieve, plan step by step, authorise every call, run what policy allows,
checkpoint each call, and persist the decision (idempotent per event id and planner version)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from orc_ai import defaults
from orc_ai.agent.models import Citation, Decision, PlanStep, ToolCall
from orc_ai.agent.planning import Planner, PlanningState
from orc_ai.agent.run_citations import run_citations
from orc_ai.agent.store import DecisionStore
from orc_ai.errors import PolicyError, ToolError, ToolUnavailableError
from orc_ai.events.models import AgentEvent
from orc_ai.hashing import stable_hash
from orc_ai.policy.models import Approval, PolicyDecision, PolicyDecisionPoint, PolicyInput, PolicySubject
from orc_ai.retrieve.models import RetrievalResult
from orc_ai.tools.registry import ToolRegistry

SETTLED = ("decided", "approved", "rejected")  # a run returns these as they are
INTERRUPTED = "interrupted while running in an earlier run; not repeated (outcome unknown)"


def decision_id(event_id: str, planner_version: str) -> str:
    return stable_hash(event_id, planner_version)


def authorise(pdp: PolicyDecisionPoint, request: PolicyInput) -> PolicyDecision:
    """The PDP's answer; a PDP that cannot be asked denies (fail closed)."""
    try:
        return pdp.authorise(request)
    except PolicyError as exc:
        return PolicyDecision(allowed=False, reason=f"policy decision point failed: {exc}", evaluator="runner")


@dataclass
class AgentRunner:
    """Policies authorise the planner by name (``offline``, ``llm``): each planner is its own agent identity."""

    planner: Planner
    tools: ToolRegistry
    pdp: PolicyDecisionPoint
    tool_context: Any
    store: DecisionStore
    retrieve: Callable[[AgentEvent], RetrievalResult]
    max_steps: int = defaults.AGENT_MAX_STEPS

    def decide(self, event: AgentEvent) -> Decision:
        """The decision for ``event``: a settled or still waiting one is returned unchanged; an approved one runs
        its released calls; a failed or unfinished one resumes from the checkpoint, never repeating a started call."""
        did = decision_id(event.id, self.planner.version)
        existing = self.store.get(did)
        if existing is not None and existing.status in SETTLED:
            return existing
        if existing is not None and existing.status == "awaiting_approval":
            if existing.review is not None and existing.review.verdict == "approved":
                return self._run_approved(event, existing)
            return existing  # still waiting for a person
        self.store.put_event(event)
        return self._run(event, did, self.store.attempt_of(did))

    def _run(self, event: AgentEvent, did: str, attempt: int) -> Decision:
        started = time.perf_counter()
        context = self.retrieve(event)
        retrieved = time.perf_counter()
        history = self._resume(did, attempt)
        cited: list[str] = []
        final: PlanStep | None = None
        while len(history) < self.max_steps:
            state = PlanningState(event=event, context=context, history=history, step=len(history),
                                  max_steps=self.max_steps)
            step = self.planner.next_step(state, self.tools)
            cited += step.cited_chunk_ids
            if step.tool is None:
                final = step
                break
            history.append(self._call(event, did, attempt, len(history), step))
        final = final or PlanStep(tool=None, decision=f"stopped after {self.max_steps} steps", cited_chunk_ids=[])
        timings = {"retrieval_ms": (retrieved - started) * 1e3, "total_ms": (time.perf_counter() - started) * 1e3}
        decision = self._decision(event, did, attempt, context, history, final, cited + final.cited_chunk_ids,
                                  timings)
        self.store.save(decision)
        return decision

    def _resume(self, did: str, attempt: int) -> list[ToolCall]:
        """Calls already made by this attempt; a non-read call that started and never finished is recorded as
        interrupted and not repeated, a read is simply made again."""
        history = []
        for phase, call in self.store.calls(did, attempt):
            if phase == "started":
                if call.effect == "read":
                    continue
                call = call.model_copy(update={"executed": False, "error": INTERRUPTED})
                self.store.finish_call(did, attempt, call)
            history.append(call)
        return history

    def _call(self, event: AgentEvent, did: str, attempt: int, step: int, plan: PlanStep,
              approval: Approval | None = None, call_id: str | None = None) -> ToolCall:
        call_id = call_id or stable_hash(did, str(attempt), str(step))
        base = {"call_id": call_id, "step": step, "tool": str(plan.tool), "arguments": plan.arguments,
                "from_document_text": plan.from_document_text, "started_at": datetime.now(UTC)}
        try:
            spec = self.tools.get(str(plan.tool))
            arguments = self.tools.validate(spec.name, plan.arguments)
        except ToolError as exc:
            refused = PolicyDecision(allowed=False, reason=f"invalid call: {exc}", evaluator="runner")
            call = ToolCall(**base, effect="act", policy=refused, executed=False, error=str(exc))
            self.store.finish_call(did, attempt, call)
            return call
        subject = event.subject
        request = PolicyInput(
            agent=self.planner.name, tool=spec.name, effect=spec.effect, arguments=arguments.model_dump(mode="json"),
            subject=PolicySubject(dag_id=subject.dag_id, task_id=subject.task_id, asset_key=subject.asset_key,
                                  team=event.team),
            event_type=event.type, from_document_text=plan.from_document_text, approval=approval,
        )
        call = ToolCall(**base, effect=spec.effect, policy=authorise(self.pdp, request), executed=False)
        if not call.policy.allowed:
            self.store.finish_call(did, attempt, call)
            return call
        self.store.begin_call(did, attempt, call)
        clock = time.perf_counter()
        try:
            call = call.model_copy(update={"executed": True, "result": spec.run(arguments, self.tool_context)})
        except ToolUnavailableError as exc:
            call = call.model_copy(update={"error": f"not executed: {exc}"})
        except Exception as exc:  # one failing tool never stops the run; the error is recorded
            call = call.model_copy(update={"error": f"{type(exc).__name__}: {exc}"})
        call = call.model_copy(update={"duration_ms": (time.perf_counter() - clock) * 1e3})
        self.store.finish_call(did, attempt, call)
        return call

    def _run_approved(self, event: AgentEvent, decision: Decision) -> Decision:
        """Re-authorise each call awaiting approval with the reviewer's approval and run what is now allowed."""
        review = decision.review
        approval = Approval(approved_by=review.reviewer, comment=review.comment)
        calls = []
        for call in decision.tool_calls:
            if call.policy.approval_required and not call.executed:
                plan = PlanStep(tool=call.tool, arguments=call.arguments, from_document_text=call.from_document_text)
                call = self._call(event, decision.decision_id, decision.attempt, call.step, plan, approval,
                                  call.call_id)
            calls.append(call)
        approved = decision.model_copy(update={"tool_calls": calls, "status": "approved"})
        self.store.save(approved)
        return approved

    def _decision(self, event: AgentEvent, did: str, attempt: int, context: RetrievalResult,
                  history: list[ToolCall], final: PlanStep, cited: list[str], timings: dict) -> Decision:
        items = {item.chunk_id: item for item in context.items}
        citations = [
            Citation(chunk_id=c, doc_name=items[c].doc_name, text=items[c].text[: defaults.CITATION_CHARS])
            for c in dict.fromkeys(cited) if c in items
        ]
        waiting = any(c.policy.approval_required and not c.executed for c in history)
        return Decision(
            decision_id=did, event_id=event.id, event_type=event.type, planner=self.planner.name,
            planner_version=self.planner.version, status="awaiting_approval" if waiting else "decided",
            decision=final.decision, rationale=final.rationale, confidence=final.confidence,
            context_chunk_ids=list(items), citations=citations, run_citations=run_citations(event, history),
            about_entity_ids=context.linked_entity_ids,
            tool_calls=history, llm_usage=self.planner.usage(), timings_ms=timings,
            created_at=datetime.now(UTC), attempt=attempt,
        )

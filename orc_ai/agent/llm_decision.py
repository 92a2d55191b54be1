"""Validation of the LLM planner's answer: the decision object, its tool, arguments, citations and confidence."""

from __future__ import annotations

import json
import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from orc_ai.agent.models import PlanStep
from orc_ai.agent.provenance import from_document_text
from orc_ai.errors import ToolArgumentsError
from orc_ai.events.models import AgentEvent
from orc_ai.tools.registry import ToolRegistry

Rejection = Literal["malformed_json", "bad_confidence", "unknown_tool", "bad_arguments", "bad_citation"]


class LLMDecision(BaseModel):
    """The decision object the model must answer with (the JSON schema in ``llm_prompt.decision_schema``)."""

    model_config = ConfigDict(extra="forbid")

    decision: str
    tool: str | None
    arguments: dict[str, Any]
    rationale: str
    cited_chunk_ids: list[str]
    confidence: float


class DecisionRejected(Exception):
    """An answer failed validation; ``outcome`` is the first problem's kind, the message lists every problem."""

    def __init__(self, outcome: Rejection, problems: list[str]):
        super().__init__("; ".join(problems))
        self.outcome = outcome
        self.problems = problems


def parse_decision(content: str) -> LLMDecision:
    """The decision object in ``content``; ``DecisionRejected("malformed_json")`` when it is not one."""
    try:
        payload = json.loads(content)
    except json.JSONDecodeError as exc:
        problem = f"the answer is not valid JSON ({exc.msg} at char {exc.pos})"
        raise DecisionRejected("malformed_json", [problem]) from None
    if not isinstance(payload, dict):
        raise DecisionRejected("malformed_json", [f"the answer must be a JSON object, not {type(payload).__name__}"])
    try:
        return LLMDecision.model_validate(payload)
    except ValidationError as exc:
        problems = [f"field {'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in exc.errors()]
        raise DecisionRejected("malformed_json", problems) from None


def validate_decision(content: str, event: AgentEvent, tools: ToolRegistry, context_chunk_ids: list[str]) -> PlanStep:
    """A ``PlanStep`` from the model's answer, or ``DecisionRejected`` naming every problem found.

    Checks, in this order (the first failing one names the outcome): JSON shape, confidence in [0, 1], the tool
    is registered, the arguments pass its model, every cited chunk id is in the context. The step carries the
    arguments as the tool's model parsed them and ``from_document_text`` by ``provenance.from_document_text``.
    """
    decision = parse_decision(content)
    problems: list[tuple[Rejection, str]] = []
    if not math.isfinite(decision.confidence) or not 0.0 <= decision.confidence <= 1.0:
        problems.append(("bad_confidence", f"confidence must be a number from 0 to 1, got {decision.confidence}"))
    arguments: dict[str, Any] = {}
    if decision.tool is not None:
        if decision.tool not in tools.names:
            problems.append(
                ("unknown_tool", f"unknown tool {decision.tool!r}; use one of {', '.join(tools.names)} or null")
            )
        else:
            try:
                arguments = tools.validate(decision.tool, decision.arguments).model_dump(mode="json")
            except ToolArgumentsError as exc:
                problems.append(("bad_arguments", str(exc)))
    known = set(context_chunk_ids)
    unknown = [c for c in decision.cited_chunk_ids if c not in known]
    if unknown:
        allowed = ", ".join(context_chunk_ids) or "none (there is no context)"
        problems.append(
            ("bad_citation", f"cited chunk ids not in the context: {', '.join(unknown)}; cite from: {allowed}")
        )
    if problems:
        raise DecisionRejected(problems[0][0], [p for _, p in problems])
    effect = tools.get(decision.tool).effect if decision.tool is not None else None
    return PlanStep(
        tool=decision.tool,
        arguments=arguments,
        decision=decision.decision.strip(),
        rationale=decision.rationale.strip(),
        cited_chunk_ids=list(dict.fromkeys(decision.cited_chunk_ids)),
        confidence=decision.confidence,
        # the values the model wrote, not the tool's defaults: a default was not read anywhere
        from_document_text=from_document_text(event, decision.tool, effect, decision.arguments),
    )

"""The planner interface: given the event, its context and the calls so far, propose the next step."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, Field

from orc_ai.agent.models import LLMUsage, PlanStep, ToolCall
from orc_ai.events.models import AgentEvent
from orc_ai.retrieve.models import RetrievalResult
from orc_ai.tools.registry import ToolRegistry


class PlanningState(BaseModel):
    """What a planner sees at one step; ``history`` holds the calls already made for this event (any outcome)."""

    event: AgentEvent
    context: RetrievalResult
    history: list[ToolCall] = Field(default_factory=list)
    step: int = 0
    max_steps: int


class Planner(Protocol):
    """``version`` is part of the decision id: a new planner version decides every event afresh."""

    name: str
    version: str

    def next_step(self, state: PlanningState, tools: ToolRegistry) -> PlanStep: ...

    def usage(self) -> LLMUsage:
        """LLM usage since the last call of ``usage`` (zero for the offline planner)."""
        ...

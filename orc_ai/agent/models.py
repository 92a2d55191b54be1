"""Records of the agent's work: planned steps, tool calls and the decision persisted per event."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from orc_ai.policy.models import Effect, PolicyDecision

DecisionStatus = Literal["decided", "awaiting_approval", "approved", "rejected", "failed"]


class PlanStep(BaseModel):
    """What a planner proposes next: one tool call, or ``tool=None`` when it is done."""

    model_config = ConfigDict(frozen=True)

    tool: str | None
    arguments: dict[str, Any] = Field(default_factory=dict)
    decision: str = ""  # one line a person reads: what the agent decided and why in short
    rationale: str = ""
    cited_chunk_ids: list[str] = Field(default_factory=list)
    confidence: float = 0.0
    from_document_text: bool = False  # the intent for this call came from corpus text


class ToolCall(BaseModel):
    """One authorised (or refused) call. ``call_id`` is stable per event, planner version and step, so a resumed
    run recognises a call it already made and never repeats an ``act``."""

    call_id: str
    step: int
    tool: str
    arguments: dict[str, Any]
    effect: Effect
    policy: PolicyDecision
    executed: bool
    result: dict[str, Any] | None = None
    error: str | None = None
    from_document_text: bool = False
    started_at: datetime | None = None
    duration_ms: float = 0.0


class Citation(BaseModel):
    model_config = ConfigDict(frozen=True)

    chunk_id: str
    doc_name: str
    text: str


class RunCitation(BaseModel):
    """One Airflow try the decision rests on (from ``get_task_history``); ``run_key`` is the try's stable id."""

    model_config = ConfigDict(frozen=True)

    run_key: str
    dag_id: str
    run_id: str
    task_id: str
    map_index: int = -1
    try_number: int
    state: str | None = None
    start_date: datetime | None = None
    error_class: str | None = None
    error_message: str | None = None


class LLMUsage(BaseModel):
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    cost_usd: float = 0.0
    outcomes: dict[str, int] = Field(default_factory=dict)  # e.g. {"valid": 1, "unknown_tool": 2, "fallback": 1}


class Review(BaseModel):
    verdict: Literal["approved", "rejected"]
    reviewer: str
    comment: str = ""
    reviewed_at: datetime


class Decision(BaseModel):
    """The persisted outcome for one event under one planner version (``decision_id`` is their stable hash)."""

    decision_id: str
    event_id: str
    event_type: str
    planner: str
    planner_version: str
    status: DecisionStatus
    decision: str
    rationale: str = ""
    confidence: float = 0.0
    context_chunk_ids: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    run_citations: list[RunCitation] = Field(default_factory=list)
    about_entity_ids: list[str] = Field(default_factory=list)
    tool_calls: list[ToolCall] = Field(default_factory=list)
    llm_usage: LLMUsage = Field(default_factory=LLMUsage)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    created_at: datetime
    attempt: int = 1  # a rejected decision re-run is attempt 2, and so on
    review: Review | None = None

"""Policy input and decision: the contract between the agent and either policy decision point."""

from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

Effect = Literal["read", "notify", "act"]


class PolicySubject(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    dag_id: str | None = None
    task_id: str | None = None
    asset_key: str | None = None
    team: str | None = None


class Approval(BaseModel):
    """A human's approval of one pending call; present only when re-authorising an approved call."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    approved_by: str
    comment: str = ""


class PolicyInput(BaseModel):
    """Everything a rule may look at. ``from_document_text`` is true when the call's intent came from corpus text
    (a retrieved chunk) rather than from the event or a person."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    agent: str
    tool: str
    effect: Effect
    arguments: dict[str, Any] = Field(default_factory=dict)
    subject: PolicySubject = Field(default_factory=PolicySubject)
    event_type: str
    from_document_text: bool = False
    approval: Approval | None = None


class PolicyDecision(BaseModel):
    """``allowed``: the call may run now. ``approval_required``: not now, but a person may approve it."""

    model_config = ConfigDict(frozen=True)

    allowed: bool
    approval_required: bool = False
    reason: str  # "<code>: <text>"
    evaluator: str  # "opa" or "in-process"
    code: str = ""  # the stable reason code (e.g. "auto_approved", "document_text_intent", "pdp_failed")


class PolicyDecisionPoint(Protocol):
    def authorise(self, request: PolicyInput) -> PolicyDecision: ...

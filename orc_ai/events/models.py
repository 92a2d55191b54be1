"""The event record every source produces and the agent consumes (one schema for all event types)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from orc_ai.hashing import stable_hash

EventType = Literal["question", "data_quality", "airflow_task_failure", "forecast_risk"]
EVENT_TYPES: tuple[str, ...] = ("question", "data_quality", "airflow_task_failure", "forecast_risk")


class EventSubject(BaseModel):
    """What an event is about; every field optional because each event type names a different part."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    dag_id: str | None = None
    task_id: str | None = None
    run_id: str | None = None
    try_number: int | None = None
    asset_key: str | None = None  # a Dagster asset key as "a/b"
    check_name: str | None = None


class AgentEvent(BaseModel):
    """One thing to decide about. ``id`` is stable: the same occurrence read twice has the same id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    type: EventType
    source: str  # e.g. "inbox:<file name>", "cli", "dagster:<run id>", "airflow:<base url>"
    occurred_at: datetime
    subject: EventSubject = Field(default_factory=EventSubject)
    payload: dict[str, Any] = Field(default_factory=dict)  # e.g. {"question": ...}, {"error": ..., "log": ...}
    team: str | None = None
    tenant: str | None = None

    @property
    def query(self) -> str:
        """The text the agent retrieves context for: the question, or a description of what happened."""
        if self.type == "question":
            return str(self.payload.get("question", ""))
        parts = [self.type.replace("_", " ")]
        parts += [f"{k} {v}" for k, v in self.subject.model_dump(exclude_none=True).items()]
        parts += [str(self.payload[k]) for k in ("error", "message", "description") if self.payload.get(k)]
        return " ".join(parts)


def event_id(event_type: str, *identity: str) -> str:
    """Stable id from the type and what identifies one occurrence (e.g. dag, task, run and try)."""
    return f"{event_type}:{stable_hash(event_type, *identity)}"

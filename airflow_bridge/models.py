"""Records the Airflow client returns for reads: pydantic models of REST API v2 responses.

Each model types the fields ORC AI uses and keeps every other field Airflow sends (``extra="allow"``), so
``model_dump()`` gives the whole record. Times are timezone-aware datetimes; states are Airflow's strings
(``success``, ``failed``, ``up_for_retry``, ... or None before a task is scheduled).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

TERMINAL_RUN_STATES = frozenset({"success", "failed"})
T = TypeVar("T")


class _Record(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class Dag(_Record):
    """A DAG (``GET /api/v2/dags/{dag_id}``)."""

    dag_id: str
    is_paused: bool
    is_stale: bool = False
    description: str | None = None
    fileloc: str | None = None
    owners: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    has_import_errors: bool = False

    @field_validator("tags", mode="before")
    @classmethod
    def _tag_names(cls, value: Any) -> Any:
        return [t["name"] if isinstance(t, dict) else t for t in value or []]


class DagRun(_Record):
    """A DAG run (``GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}``)."""

    dag_id: str
    dag_run_id: str
    state: str
    run_type: str
    logical_date: datetime | None = None
    run_after: datetime | None = None
    queued_at: datetime | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    duration: float | None = None
    conf: dict[str, Any] = Field(default_factory=dict)
    triggered_by: str | None = None
    note: str | None = None

    @property
    def finished(self) -> bool:
        return self.state in TERMINAL_RUN_STATES


class TaskTry(_Record):
    """One try of a task instance (``.../taskInstances/{task_id}/tries``); the current try is listed too."""

    dag_id: str
    dag_run_id: str
    task_id: str
    map_index: int = -1
    try_number: int
    max_tries: int | None = None
    state: str | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    duration: float | None = None
    operator: str | None = None
    operator_name: str | None = None
    pool: str | None = None
    queue: str | None = None
    hostname: str | None = None
    executor: str | None = None
    queued_when: datetime | None = None
    scheduled_when: datetime | None = None
    pid: int | None = None


class TaskInstance(TaskTry):
    """A task instance's latest try (``.../taskInstances``). ``id`` is new for every try (a UUID v7).

    Airflow 3.3 filters task instances by ``updated_at`` but does not return that field."""

    id: str
    logical_date: datetime | None = None
    run_after: datetime | None = None


class DagTask(_Record):
    """A task of a DAG's structure (``GET /api/v2/dags/{dag_id}/tasks``); ``upstream_task_ids`` is derived
    from the other tasks' ``downstream_task_ids`` (the API sends only those)."""

    task_id: str
    operator_name: str | None = None
    retries: float | None = None
    trigger_rule: str | None = None
    pool: str | None = None
    queue: str | None = None
    downstream_task_ids: list[str] = Field(default_factory=list)
    upstream_task_ids: list[str] = Field(default_factory=list)


class Page(BaseModel, Generic[T]):
    """One page of a list request: offset paging fills ``total_entries``, cursor paging ``next_cursor``."""

    items: list[T]
    total_entries: int | None = None
    next_cursor: str | None = None


class TaskLog(_Record):
    """A try's log (``.../logs/{try_number}``): Airflow 3's structured events, oldest first."""

    dag_id: str
    dag_run_id: str
    task_id: str
    try_number: int
    events: list[dict[str, Any]]

    @property
    def text(self) -> str:
        """The log as lines of ``timestamp level event``."""
        lines = []
        for event in self.events:
            head = " ".join(str(event[k]) for k in ("timestamp", "level") if event.get(k))
            lines.append(f"{head} {event.get('event', '')}".strip())
        return "\n".join(lines)

    @property
    def error(self) -> tuple[str, str] | None:
        """(exception class, message) of the first exception the task logged, or None."""
        for event in self.events:
            for detail in event.get("error_detail") or []:
                if isinstance(detail, dict) and detail.get("exc_type"):
                    return str(detail["exc_type"]), str(detail.get("exc_value", ""))
        return None

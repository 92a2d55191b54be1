"""The ``agent_events`` table: one row per event, subject fields flat, payload as JSON; and back to events."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from orc_ai.events.models import AgentEvent, EventSubject

SUBJECT_FIELDS: tuple[str, ...] = tuple(EventSubject.model_fields)
EVENTS_SCHEMA = {
    "id": pl.String,
    "type": pl.String,
    "source": pl.String,
    "occurred_at": pl.Datetime("us", "UTC"),
    "dag_id": pl.String,
    "task_id": pl.String,
    "run_id": pl.String,
    "try_number": pl.Int64,
    "asset_key": pl.String,
    "check_name": pl.String,
    "payload": pl.String,  # JSON object, keys sorted
    "team": pl.String,
    "tenant": pl.String,
}
EVENTS_TABLE = "agent_events"  # the asset and its parquet file under ORC_AI_HOME/assets


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive time is taken to be UTC already (the table stores UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def events_to_frame(events: Iterable[AgentEvent]) -> pl.DataFrame:
    """The table of ``events`` sorted by id; an id seen twice keeps its first event (the same occurrence)."""
    unique: dict[str, AgentEvent] = {}
    for event in events:
        unique.setdefault(event.id, event)
    rows = [
        {
            "id": e.id,
            "type": e.type,
            "source": e.source,
            "occurred_at": e.occurred_at,
            **e.subject.model_dump(),
            "payload": json.dumps(e.payload, sort_keys=True, ensure_ascii=False, default=str),
            "team": e.team,
            "tenant": e.tenant,
        }
        for e in sorted(unique.values(), key=lambda e: e.id)
    ]
    return pl.DataFrame(rows, schema=EVENTS_SCHEMA)


def events_from_frame(frame: pl.DataFrame) -> list[AgentEvent]:
    """The events of an ``agent_events`` table, in its row order."""
    events = []
    for row in frame.iter_rows(named=True):
        subject = EventSubject(**{k: row[k] for k in SUBJECT_FIELDS if row.get(k) is not None})
        events.append(
            AgentEvent(
                id=row["id"],
                type=row["type"],
                source=row["source"],
                occurred_at=row["occurred_at"],
                subject=subject,
                payload=json.loads(row["payload"]) if row["payload"] else {},
                team=row["team"],
                tenant=row["tenant"],
            )
        )
    return events


def read_events(asset_dir: Path) -> list[AgentEvent]:
    """The events of the latest ``agent_events`` materialisation under ``asset_dir``; none before the first."""
    path = Path(asset_dir) / f"{EVENTS_TABLE}.parquet"
    return events_from_frame(pl.read_parquet(path)) if path.exists() else []

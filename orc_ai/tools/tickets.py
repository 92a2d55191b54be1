"""The ``create_ticket`` tool: one row per ticket in a parquet table, keyed by an id derived from the call.

Effect class ``notify``: a ticket tells people something, in ORC AI's own table; it changes no pipeline and
no external system (that is ``act``), so it stays the safe thing to do when an action is refused."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, field_validator

from orc_ai import defaults
from orc_ai.hashing import stable_hash
from orc_ai.settings import orc_home
from orc_ai.tools.context import ToolContext
from orc_ai.tools.ids import AirflowKey, ChunkId

TICKET_SCHEMA = {
    "ticket_id": pl.String,
    "created_at": pl.Datetime("us", "UTC"),
    "title": pl.String,
    "body": pl.String,
    "severity": pl.String,
    "dag_id": pl.String,
    "task_id": pl.String,
    "cited_chunk_ids": pl.List(pl.String),
    "status": pl.String,
}


class CreateTicketArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200, description="One line saying what is wrong.")
    body: str = Field(min_length=1, max_length=10_000, description="What happened, what was found, what to do.")
    severity: Literal["low", "medium", "high", "critical"] = Field(default="medium", description="How urgent.")
    dag_id: AirflowKey | None = Field(default=None, description="The DAG concerned, if any.")
    task_id: AirflowKey | None = Field(default=None, description="The task concerned, if any.")
    cited_chunk_ids: list[ChunkId] = Field(
        default_factory=list, max_length=20, description="Chunk ids from the context that the ticket rests on."
    )

    @field_validator("cited_chunk_ids")
    @classmethod
    def _canonical(cls, ids: list[str]) -> list[str]:
        return sorted(set(ids))  # the same citations in another order are the same ticket


def default_tickets_path(home: Path | None = None) -> Path:
    """Where the tickets table lives unless a run says otherwise: ``$ORC_AI_HOME/tickets.parquet``."""
    return (home or orc_home()) / defaults.TICKETS_FILE


def ticket_id(args: CreateTicketArgs) -> str:
    """Stable for equal arguments, so a re-run of the same call finds the ticket it made."""
    return stable_hash("ticket", json.dumps(args.model_dump(mode="json"), sort_keys=True), length=32)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One writer at a time across processes (two runs deciding at once must not lose each other's tickets)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read_tickets(path: Path) -> pl.DataFrame:
    """The tickets table; empty with its schema when none was written yet."""
    return pl.read_parquet(path) if path.exists() else pl.DataFrame(schema=TICKET_SCHEMA)


def create_ticket(args: CreateTicketArgs, ctx: ToolContext) -> dict[str, Any]:
    """Append the ticket unless a ticket with its id exists; ``created`` says which."""
    path = Path(ctx.need("tickets_path", "the tickets table"))
    tid = ticket_id(args)
    with _locked(path):
        tickets = read_tickets(path)
        if tid in tickets["ticket_id"].to_list():
            return {"ticket_id": tid, "created": False, "table": str(path)}
        row = pl.DataFrame(
            [{"ticket_id": tid, "created_at": datetime.now(UTC), **args.model_dump(), "status": "open"}],
            schema=TICKET_SCHEMA,
        )
        tmp = path.with_name(path.name + ".tmp")
        pl.concat([tickets, row], how="vertical").write_parquet(tmp)
        os.replace(tmp, path)
    return {"ticket_id": tid, "created": True, "table": str(path)}

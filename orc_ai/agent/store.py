"""The agent's durable state in SQLite under ORC_AI_HOME: decisions, each tool call as it starts and finishes
(the checkpoint a killed run resumes from), reviews, and attempts archived when a rejected decision is re-run."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from orc_ai.agent.models import Decision, Review, ToolCall
from orc_ai.errors import OrcAIError
from orc_ai.events.models import AgentEvent

_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (decision_id TEXT PRIMARY KEY, event_id TEXT NOT NULL, status TEXT NOT NULL,
  attempt INTEGER NOT NULL, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS attempts (decision_id TEXT NOT NULL, attempt INTEGER NOT NULL, record TEXT NOT NULL,
  PRIMARY KEY (decision_id, attempt));
CREATE TABLE IF NOT EXISTS calls (call_id TEXT PRIMARY KEY, decision_id TEXT NOT NULL, attempt INTEGER NOT NULL,
  step INTEGER NOT NULL, phase TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (event_id TEXT PRIMARY KEY, record TEXT NOT NULL);
"""


class DecisionNotFoundError(OrcAIError):
    """No decision with that id."""


class DecisionStore:
    """One SQLite file; every write commits at once, so what a killed run did is on disk."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=60)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> DecisionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # decisions
    def get(self, decision_id: str) -> Decision | None:
        row = self._conn.execute("SELECT record FROM decisions WHERE decision_id = ?", (decision_id,)).fetchone()
        return Decision.model_validate_json(row[0]) if row else None

    def require(self, decision_id: str) -> Decision:
        found = self.get(decision_id)
        if found is None:
            raise DecisionNotFoundError(f"no decision {decision_id!r} (see `orc-ai decisions list`)")
        return found

    def save(self, decision: Decision) -> None:
        with self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?)",
                (decision.decision_id, decision.event_id, decision.status, decision.attempt,
                 decision.model_dump_json()),
            )

    def list(self, status: str | None = None) -> list[Decision]:
        sql, args = "SELECT record FROM decisions", ()
        if status:
            sql, args = sql + " WHERE status = ?", (status,)
        return [Decision.model_validate_json(r[0]) for r in self._conn.execute(sql + " ORDER BY decision_id", args)]

    def attempt_of(self, decision_id: str) -> int:
        """The attempt a new run of this decision makes: 1, or one more than the last archived."""
        row = self._conn.execute("SELECT MAX(attempt) FROM attempts WHERE decision_id = ?", (decision_id,)).fetchone()
        return (row[0] or 0) + 1

    def review(self, decision_id: str, verdict: str, reviewer: str, comment: str = "") -> Decision:
        """Record a person's approval or rejection; approving releases the calls awaiting it on the next run."""
        decision = self.require(decision_id)
        if decision.status != "awaiting_approval" and not (verdict == "rejected" and decision.status == "decided"):
            raise OrcAIError(f"decision {decision_id} is {decision.status}; only awaiting_approval can be reviewed")
        review = Review(verdict=verdict, reviewer=reviewer, comment=comment, reviewed_at=datetime.now(UTC))
        status = "rejected" if verdict == "rejected" else decision.status
        updated = decision.model_copy(update={"review": review, "status": status})
        self.save(updated)
        return updated

    def rerun(self, decision_id: str) -> int:
        """Archive a rejected decision so the next run decides its event afresh; returns the new attempt number."""
        decision = self.require(decision_id)
        if decision.status != "rejected":
            raise OrcAIError(f"decision {decision_id} is {decision.status}; only a rejected decision can be re-run")
        with self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO attempts VALUES (?, ?, ?)",
                (decision_id, decision.attempt, decision.model_dump_json()),
            )
            self._conn.execute("DELETE FROM decisions WHERE decision_id = ?", (decision_id,))
        return decision.attempt + 1

    # checkpoints
    def begin_call(self, decision_id: str, attempt: int, call: ToolCall) -> None:
        """Written before a tool runs: a run killed after this never repeats the call."""
        self._put_call(decision_id, attempt, call, "started")

    def finish_call(self, decision_id: str, attempt: int, call: ToolCall) -> None:
        self._put_call(decision_id, attempt, call, "finished")

    def _put_call(self, decision_id: str, attempt: int, call: ToolCall, phase: str) -> None:
        with self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO calls VALUES (?, ?, ?, ?, ?, ?)",
                (call.call_id, decision_id, attempt, call.step, phase, call.model_dump_json()),
            )

    def calls(self, decision_id: str, attempt: int) -> list[tuple[str, ToolCall]]:
        """(phase, call) of every checkpointed call of one attempt, in step order."""
        rows = self._conn.execute(
            "SELECT phase, record FROM calls WHERE decision_id = ? AND attempt = ? ORDER BY step",
            (decision_id, attempt),
        )
        return [(phase, ToolCall.model_validate_json(record)) for phase, record in rows]

    # events (kept so that approvals and re-runs from the command line know what the decision was about)
    def put_event(self, event: AgentEvent) -> None:
        with self._conn:
            self._conn.execute("INSERT OR REPLACE INTO events VALUES (?, ?)", (event.id, event.model_dump_json()))

    def event(self, event_id: str) -> AgentEvent | None:
        row = self._conn.execute("SELECT record FROM events WHERE event_id = ?", (event_id,)).fetchone()
        return AgentEvent.model_validate_json(row[0]) if row else None

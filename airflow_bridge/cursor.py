"""The durable position of the task-run sync: a watermark, the observations already emitted, and a resume point.

Airflow 3.3 filters task instances by ``updated_at`` but neither returns that field nor sorts by it, so the
watermark cannot be "the largest updated_at seen". It is instead the client's clock when a *complete* pull
started, minus ``overlap_s``:

- A row is written with ``updated_at`` taken at flush time and becomes visible at commit, later; a pull that
  started between the two would miss it, and a watermark equal to the pull's start would skip it forever. The
  overlap re-reads the last ``overlap_s`` seconds on every pull (it also absorbs modest clock skew between this
  host and Airflow's scheduler).
- Same-timestamp ties: the filter is ``updated_at_gte`` (inclusive), so rows at exactly the watermark are read
  again rather than lost; the overlap makes ties on the boundary the normal case, not an edge.
- Re-reading is made cheap and invisible by ``seen``: a fingerprint of every try observation already emitted
  (key plus state, times and host). A re-read row whose fingerprint is known is skipped; a try that changed
  (running -> success, up_for_retry -> failed after the history row is written, cleared and run again) has a
  new fingerprint and is emitted again under the same try key, where the latest observation wins.
- A fingerprint is kept while it could still come back in a pull: until its hint (the try's end for a finished
  try, else the time it was observed) falls below the watermark. Dropping one too early costs only a repeated,
  identical observation, which the table's one-row-per-key merge absorbs; correctness never depends on it.
- A pull that runs out of its time budget stores ``resume`` (Airflow's keyset token of the page to fetch again,
  paging by the per-try UUID v7 ``id``) and keeps the old watermark; the next pull continues there with the same
  filter and finishes before the watermark moves. Tries processed before the stop are in ``seen``, so a page
  fetched again yields only what is left. A try that gets a new id mid-pull moves *after* the keyset position
  (UUID v7 grows with time) or is caught by the next pull, whose watermark is older than its update.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

CURSOR_VERSION = 1


class SyncCursor(BaseModel):
    """Where the next pull starts. Serialise with :meth:`dumps`, read back with :meth:`loads`."""

    model_config = ConfigDict(frozen=True)

    version: int = CURSOR_VERSION
    watermark: datetime | None = Field(default=None, description="Pull rows with updated_at >= this; None: all.")
    seen: dict[str, float] = Field(
        default_factory=dict, description="Fingerprint of each emitted try observation -> its hint (epoch s)."
    )
    resume: str | None = Field(default=None, description="Keyset token of the page to continue an unfinished pull.")
    pull_started: datetime | None = Field(default=None, description="Start of the unfinished pull, if any.")
    batches: int = Field(default=0, description="Batches emitted so far; the next batch's number is this + 1.")

    @property
    def in_progress(self) -> bool:
        """True while a pull stopped by its time budget has pages left."""
        return self.pull_started is not None

    def dumps(self) -> str:
        """A compact string (zlib + base64 of the JSON) for a Dagster sensor cursor."""
        raw = self.model_dump_json().encode()
        return "z1:" + base64.urlsafe_b64encode(zlib.compress(raw, 6)).decode()

    @classmethod
    def loads(cls, text: str | None) -> SyncCursor:
        """The cursor in ``text``; an empty or missing cursor is the start (everything Airflow holds).

        Raises ``ValueError`` for a cursor this code did not write, rather than silently starting over."""
        if not text:
            return cls()
        try:
            if text.startswith("z1:"):
                text = zlib.decompress(base64.urlsafe_b64decode(text[3:])).decode()
            cursor = cls.model_validate(json.loads(text))
        except (ValueError, zlib.error) as exc:
            raise ValueError(f"unreadable Airflow sync cursor ({type(exc).__name__}): {text[:80]!r}") from exc
        if cursor.version != CURSOR_VERSION:
            raise ValueError(f"Airflow sync cursor version {cursor.version}, expected {CURSOR_VERSION}")
        return cursor

    def describe(self) -> str:
        """A short human description for logs and skip reasons (no fingerprints)."""
        mark = self.watermark.isoformat() if self.watermark else "the beginning"
        tail = f", resuming an unfinished pull started {self.pull_started.isoformat()}" if self.in_progress else ""
        return f"watermark {mark}, {len(self.seen)} recent observation(s), {self.batches} batch(es){tail}"


def observation_fingerprint(fields: dict) -> str:
    """Identity of one observation of one try: its key and the fields that change as it runs."""
    parts = [str(fields.get(k)) for k in OBSERVED_FIELDS]
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


OBSERVED_FIELDS = (
    "dag_id", "dag_run_id", "task_id", "map_index", "try_number",
    "state", "start_date", "end_date", "duration", "hostname",
)  # fmt: skip


def observation_hint(end_date: datetime | None, finished: bool, observed_at: datetime) -> float:
    """Until when a fingerprint is worth keeping: a finished try's end, else when it was observed."""
    when = end_date if (finished and end_date is not None) else observed_at
    return when.timestamp()


def advance(
    cursor: SyncCursor,
    *,
    seen: dict[str, float],
    pinned: set[str],
    pull_started: datetime,
    finished: bool,
    resume: str | None,
    emitted: bool,
    overlap_s: float,
) -> SyncCursor:
    """The cursor after one pull: finished -> the new watermark; else the old one and the resume point.

    ``seen`` is pruned to the fingerprints that can come back once the pull completes (hint >= the watermark it
    will set), plus ``pinned``: those of the page a stopped pull will fetch again, so that page yields only
    what is left and even a page longer than the time budget makes progress."""
    batches = cursor.batches + (1 if emitted else 0)
    watermark = datetime.fromtimestamp(pull_started.timestamp() - overlap_s, tz=UTC)
    kept = {fp: hint for fp, hint in seen.items() if hint >= watermark.timestamp() or fp in pinned}
    if finished:
        return SyncCursor(watermark=watermark, seen=kept, batches=batches)
    return SyncCursor(watermark=cursor.watermark, seen=kept, resume=resume, pull_started=pull_started,
                      batches=batches)  # fmt: skip

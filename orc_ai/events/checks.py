"""Data-quality events: a failed asset check of this platform, as the Dagster instance recorded it.

The asset layer reads the instance and hands over plain ``CheckFailure`` records, so this module needs no Dagster.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from orc_ai.events.models import AgentEvent, EventSubject, event_id
from orc_ai.events.table import as_utc

MAX_METADATA_CHARS = 500  # per metadata value in the payload: enough to read, not a whole table


class CheckFailure(BaseModel):
    """One failed execution of one asset check (``passed`` was false)."""

    model_config = ConfigDict(frozen=True)

    asset_key: str = Field(description="The checked asset, as 'a/b'.")
    check_name: str
    run_id: str = Field(description="The run that evaluated the check; a runless report has its own id.")
    severity: str = Field(description="ERROR or WARN.")
    occurred_at: datetime
    description: str | None = Field(default=None, description="What the check verifies (its spec's description).")
    metadata: dict[str, Any] = Field(default_factory=dict, description="The evaluation's metadata, plain values.")
    blocking: bool = False
    partition: str | None = None


def check_failure_event(failure: CheckFailure) -> AgentEvent:
    """The ``data_quality`` event of a failed check execution; its id depends only on the check key and the run."""
    metadata = {k: _summary(v) for k, v in sorted(failure.metadata.items())}
    payload: dict[str, Any] = {"severity": failure.severity, "blocking": failure.blocking, "metadata": metadata}
    check = f"{failure.asset_key}:{failure.check_name}"
    described = failure.description or f"asset check {check} failed"
    payload["description"] = described
    payload["message"] = f"{check} failed with severity {failure.severity}" + (
        f" ({', '.join(f'{k}={v}' for k, v in list(metadata.items())[:5])})" if metadata else ""
    )
    if failure.partition is not None:
        payload["partition"] = failure.partition
    identity = [failure.asset_key, failure.check_name, failure.run_id]
    if failure.partition is not None:
        identity.append(failure.partition)
    return AgentEvent(
        id=event_id("data_quality", *identity),
        type="data_quality",
        source=f"dagster:{failure.run_id}",
        occurred_at=as_utc(failure.occurred_at),
        subject=EventSubject(asset_key=failure.asset_key, check_name=failure.check_name, run_id=failure.run_id),
        payload=payload,
    )


def _summary(value: Any) -> Any:
    """A metadata value as JSON: numbers and booleans kept, anything else as (cut) text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= MAX_METADATA_CHARS else text[: MAX_METADATA_CHARS - 1] + "…"

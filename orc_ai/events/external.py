"""Events from the next issue's tables: Airflow task failures and forecast risks, one pure function per type.

Each takes one table row (a mapping, e.g. ``frame.iter_rows(named=True)``) and returns the event; a row missing
a field its identity needs raises ``ValueError`` naming it, so a caller can quarantine that row.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from orc_ai.events.models import AgentEvent, EventSubject, event_id
from orc_ai.events.table import as_utc

AIRFLOW_PAYLOAD_FIELDS = ("error", "log_tail", "state", "operator", "hostname", "duration_s", "max_tries")
FORECAST_PAYLOAD_FIELDS = (
    "metric",
    "forecast_for",
    "predicted",
    "lower",
    "upper",
    "threshold",
    "risk",
    "model_version",
    "description",
)


def _required(row: Mapping[str, Any], *names: str) -> None:
    missing = [n for n in names if row.get(n) is None or row.get(n) == ""]
    if missing:
        raise ValueError(f"row lacks {missing}: {dict(row)!r}"[:300])


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def airflow_task_failure_event(row: Mapping[str, Any]) -> AgentEvent:
    """A failed Airflow task try (``dag_id``, ``task_id``, ``run_id``, ``try_number``, ``end_date`` or
    ``start_date``; optional ``error``, ``log_tail``, ``base_url``, ``team``, ``tenant``): one event per try."""
    _required(row, "dag_id", "task_id", "run_id", "try_number")
    occurred = row.get("end_date") or row.get("start_date")
    if occurred is None:
        raise ValueError(f"row lacks end_date and start_date: {row.get('dag_id')}.{row.get('task_id')}")
    try_number = int(row["try_number"])
    identity = (str(row["dag_id"]), str(row["task_id"]), str(row["run_id"]), str(try_number))
    base_url = row.get("base_url")
    return AgentEvent(
        id=event_id("airflow_task_failure", *identity),
        type="airflow_task_failure",
        source=f"airflow:{base_url}" if base_url else "airflow",
        occurred_at=as_utc(_datetime(occurred)),
        subject=EventSubject(dag_id=identity[0], task_id=identity[1], run_id=identity[2], try_number=try_number),
        payload={k: _plain(row[k]) for k in AIRFLOW_PAYLOAD_FIELDS if row.get(k) is not None},
        team=row.get("team"),
        tenant=row.get("tenant"),
    )


def forecast_risk_event(row: Mapping[str, Any]) -> AgentEvent:
    """A forecast that a DAG (or task, or asset) will breach a threshold (``dag_id`` or ``asset_key``,
    ``metric``, ``forecast_for``, ``forecast_at``, ``model_version``; optional ``task_id``, ``predicted``,
    ``lower``, ``upper``, ``threshold``, ``risk``): one event per forecast target, horizon and model version."""
    _required(row, "metric", "forecast_for", "forecast_at", "model_version")
    if not (row.get("dag_id") or row.get("asset_key")):
        raise ValueError("a forecast risk row names a dag_id or an asset_key")
    target = (str(row.get("dag_id") or ""), str(row.get("task_id") or ""), str(row.get("asset_key") or ""))
    identity = (*target, str(row["metric"]), str(_plain(row["forecast_for"])), str(row["model_version"]))
    return AgentEvent(
        id=event_id("forecast_risk", *identity),
        type="forecast_risk",
        source=f"forecast:{row['model_version']}",
        occurred_at=as_utc(_datetime(row["forecast_at"])),
        subject=EventSubject(dag_id=row.get("dag_id"), task_id=row.get("task_id"), asset_key=row.get("asset_key")),
        payload={k: _plain(row[k]) for k in FORECAST_PAYLOAD_FIELDS if row.get(k) is not None},
        team=row.get("team"),
        tenant=row.get("tenant"),
    )

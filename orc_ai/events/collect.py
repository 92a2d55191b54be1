"""Every source of agent events in one table: the inbox, failed checks, failed Airflow tasks, at-risk forecasts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

import polars as pl

from orc_ai.events.checks import CheckFailure, check_failure_event
from orc_ai.events.inbox import InboxResult
from orc_ai.events.operations import OperationsEvents, forecast_risk_events, task_failure_events
from orc_ai.events.table import events_to_frame
from orc_ai.ingest.documents import QUARANTINE_SCHEMA


@dataclass(frozen=True)
class CollectedEvents:
    events: pl.DataFrame
    quarantined: pl.DataFrame
    counts: dict[str, int]


def collect_events(
    inbox: InboxResult,
    check_failures: Sequence[CheckFailure],
    task_runs: pl.DataFrame | None,
    forecasts: Mapping[str, pl.DataFrame | None],
    *,
    failure_lookback: timedelta,
    min_forecast_risk: float = 0.0,
    team_by_dag: Mapping[str, str] | None = None,
) -> CollectedEvents:
    """The events table (one row per id) and the quarantine table (inbox files and operations rows that are not
    an event). ``task_runs``/``forecasts`` None: that table has not been built yet."""
    failed_tasks = (task_failure_events(task_runs, failure_lookback, dict(team_by_dag or {}))
                    if task_runs is not None else OperationsEvents())
    risks = [forecast_risk_events(frame, name, min_forecast_risk) for name, frame in sorted(forecasts.items())
             if frame is not None]
    events = [*inbox.events, *(check_failure_event(f) for f in check_failures), *failed_tasks.events]
    events += [e for r in risks for e in r.events]
    quarantined = inbox.quarantined + failed_tasks.quarantined + [q for r in risks for q in r.quarantined]
    rows = [q.model_dump() for q in sorted(quarantined, key=lambda q: q.name)]
    counts = {"inbox_files": inbox.files_seen, "failed_checks": len(check_failures),
              "failed_tasks": len(failed_tasks.events), "forecast_risks": sum(len(r.events) for r in risks)}
    return CollectedEvents(events_to_frame(events), pl.DataFrame(rows, schema=QUARANTINE_SCHEMA), counts)

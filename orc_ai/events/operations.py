"""Events from the operations tables: failed Airflow tasks (``airflow_task_runs``) and at-risk forecasts.

A failed task is a task instance whose latest try failed: a try Airflow will retry is not yet the agent's to
decide. Only failures within ``lookback`` of the history's latest observation become events (measured on the
history, not the wall clock, so a re-run over the same table gives the same events). A row that cannot be an
event becomes a quarantine row with the reason; the others are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import polars as pl

from orc_ai.events.external import airflow_task_failure_event, forecast_risk_event
from orc_ai.events.models import AgentEvent
from orc_ai.ingest.models import QuarantineRecord
from orc_ai.taskruns.schema import TASK_RUNS_TABLE, TRY_KEY

_LOG_TAIL_CHARS = 2000


@dataclass
class OperationsEvents:
    events: list[AgentEvent] = field(default_factory=list)
    quarantined: list[QuarantineRecord] = field(default_factory=list)


def _quarantine(table: str, row: dict, exc: Exception) -> QuarantineRecord:
    name = "/".join(str(row.get(k)) for k in ("dag_id", "run_id", "task_id", "try_number", "metric") if k in row)
    return QuarantineRecord(name=f"{table}:{name}", source_path=table, format="row", reason="not an event",
                            detail=str(exc)[:500], size_bytes=0)


def latest_failed_tries(task_runs: pl.DataFrame, lookback: timedelta) -> pl.DataFrame:
    """The failed latest try of each task instance that ended within ``lookback`` of the newest try."""
    if task_runs.is_empty():
        return task_runs
    instance = [k for k in TRY_KEY if k != "try_number"]
    latest = task_runs.sort("try_number").group_by(instance, maintain_order=True).last()
    newest = task_runs.select(pl.max_horizontal("end_date", "start_date").max()).item()
    when = pl.coalesce("end_date", "start_date")
    failed = latest.filter((pl.col("state") == "failed") & (when >= newest - lookback))
    return failed.sort(list(TRY_KEY))


def task_failure_events(task_runs: pl.DataFrame, lookback: timedelta, team_by_dag: dict[str, str] | None = None
                        ) -> OperationsEvents:
    """One ``airflow_task_failure`` event per failed task instance in the window (see the module docstring)."""
    result = OperationsEvents()
    for row in latest_failed_tries(task_runs, lookback).iter_rows(named=True):
        error = ": ".join(p for p in (row.get("error_class"), row.get("error_message")) if p) or None
        tail = (row.get("log_tail") or "")[-_LOG_TAIL_CHARS:] or None
        fields = {**row, "error": error, "log_tail": tail, "team": (team_by_dag or {}).get(row.get("dag_id"))}
        try:
            result.events.append(airflow_task_failure_event(fields))
        except (ValueError, TypeError) as exc:
            result.quarantined.append(_quarantine(TASK_RUNS_TABLE, row, exc))
    return result


def forecast_risk_events(forecasts: pl.DataFrame, table: str, min_risk: float = 0.0) -> OperationsEvents:
    """One ``forecast_risk`` event per at-risk series of ``table`` whose risk reaches ``min_risk``: its earliest
    such target (a series at risk all week is one thing to decide about, not seven)."""
    result = OperationsEvents()
    if forecasts.is_empty():
        return result
    high = pl.col("at_risk").fill_null(False) & (pl.col("risk").fill_null(0.0) >= min_risk)
    at_risk = forecasts.filter(high).sort("forecast_for")
    earliest = at_risk.unique(subset=["dag_id", "task_id", "metric"], keep="first", maintain_order=True)
    for row in earliest.iter_rows(named=True):
        fields = {**row, "description": f"{row.get('metric')} forecast {row.get('predicted')} "
                                        f"(80% up to {row.get('upper')}) breaches {row.get('threshold')}"}
        try:
            result.events.append(forecast_risk_event(fields))
        except (ValueError, TypeError) as exc:
            result.quarantined.append(_quarantine(table, row, exc))
    return result

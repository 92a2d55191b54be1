"""A small constructed history and forecasts whose KPIs can be worked out by hand (see test_pipeline_kpis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl

from orc_ai.forecast.schema import FORECAST_SCHEMA
from orc_ai.taskruns.schema import conform_task_runs

DAY0 = datetime(2026, 3, 2, tzinfo=UTC)


def at(day: int, minute: float) -> datetime:
    return DAY0 + timedelta(days=day, minutes=minute)


def try_row(dag: str, run: int, task: str, try_number: int, state: str, start: float | None, minutes: float = 1):
    started = at(run, start) if start is not None else None
    ended = started + timedelta(minutes=minutes) if started else None
    return {
        "dag_id": dag, "run_id": f"scheduled__{run}", "task_id": task, "map_index": -1, "try_number": try_number,
        "max_tries": 3, "state": state, "logical_date": at(run, 0), "start_date": started, "end_date": ended,
        "duration_s": minutes * 60 if started else None,
        "error_class": "ConnectionError" if state == "failed" else None,
    }


# etl: extract fails twice in run 1 and succeeds on try 3; load fails in run 2 (run failed) and succeeds in run 3
# report: run 1 unfinished (render running); run 2 failed (send failed, render upstream_failed), never recovered
ROWS = [
    try_row("etl", 1, "extract", 1, "failed", 0),
    try_row("etl", 1, "extract", 2, "failed", 6),
    try_row("etl", 1, "extract", 3, "success", 12, minutes=1),
    try_row("etl", 1, "load", 1, "success", 20, minutes=5),
    try_row("etl", 2, "extract", 1, "success", 0, minutes=2),
    try_row("etl", 2, "load", 1, "failed", 5),
    try_row("etl", 3, "extract", 1, "success", 0, minutes=3),
    try_row("etl", 3, "load", 1, "success", 0, minutes=5),
    try_row("report", 1, "send", 1, "success", 30),
    try_row("report", 1, "render", 1, "running", 31),
    try_row("report", 2, "send", 1, "failed", 30),
    try_row("report", 2, "render", 0, "upstream_failed", None),
]


def history() -> pl.DataFrame:
    return conform_task_runs(pl.DataFrame(ROWS))


def forecast_row(dag: str, task: str | None, day: int, at_risk: bool, made_day: int = 0) -> dict:
    return {
        "dag_id": dag, "task_id": task, "metric": "failure_rate", "forecast_at": at(made_day, 0),
        "forecast_for": at(day, 0), "horizon": "1d", "predicted": 0.5 if at_risk else 0.0, "threshold": 0.3,
        "at_risk": at_risk, "method": "fallback",
    }


FORECASTS = [
    forecast_row("etl", "extract", 1, True),  # extract failed on day 1: a hit
    forecast_row("etl", "extract", 2, False, made_day=0),  # superseded by the later forecast below
    forecast_row("etl", "extract", 2, True, made_day=1),  # no extract failure on day 2: a false alarm
    forecast_row("etl", "extract", 3, False),  # pending: day 3 is observed only until 00:05
    forecast_row("etl", None, 2, False),  # the DAG's load failed on day 2: a missed failure
    forecast_row("report", "send", 1, False),  # quiet, and send's day-1 try succeeded: a true negative
    forecast_row("report", "send", 2, True),  # send failed on day 2: a hit
    forecast_row("etl", "extract", 10, True),  # pending: day 10 is not observed yet
]


def forecasts() -> pl.DataFrame:
    return pl.DataFrame(FORECASTS, schema=FORECAST_SCHEMA, strict=False)

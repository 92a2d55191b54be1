"""Failed checks, Airflow task failures and forecast risks as events: stable ids from what identifies each one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import polars as pl
import pytest

from orc_ai.events.checks import MAX_METADATA_CHARS, CheckFailure, check_failure_event
from orc_ai.events.external import airflow_task_failure_event, forecast_risk_event
from orc_ai.events.table import events_from_frame, events_to_frame

FAILURE = CheckFailure(
    asset_key="raw_docs",
    check_name="raw_docs_quarantine_ratio",
    run_id="run-1",
    severity="ERROR",
    occurred_at=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
    description="At most a quarter of files quarantined.",
    metadata={"ratio": 0.75, "quarantined": 3, "sample": "x" * 2000},
    blocking=True,
)


def test_a_failed_check_names_its_asset_check_and_run() -> None:
    event = check_failure_event(FAILURE)
    assert event.type == "data_quality" and event.source == "dagster:run-1"
    assert event.subject.model_dump(exclude_none=True) == {
        "asset_key": "raw_docs",
        "check_name": "raw_docs_quarantine_ratio",
        "run_id": "run-1",
    }
    assert event.payload["severity"] == "ERROR" and event.payload["blocking"] is True
    assert event.payload["metadata"]["ratio"] == 0.75 and len(event.payload["metadata"]["sample"]) == MAX_METADATA_CHARS
    assert "At most a quarter" in event.query and "raw_docs_quarantine_ratio" in event.query


def test_a_check_failure_id_depends_on_the_check_and_the_run_only() -> None:
    same = FAILURE.model_copy(update={"metadata": {"ratio": 0.5}, "occurred_at": FAILURE.occurred_at + timedelta(1)})
    assert check_failure_event(same).id == check_failure_event(FAILURE).id
    for change in ({"run_id": "run-2"}, {"check_name": "raw_docs_text_quality"}, {"asset_key": "chunks"}):
        assert check_failure_event(FAILURE.model_copy(update=change)).id != check_failure_event(FAILURE).id


AIRFLOW_ROW = {
    "dag_id": "nightly_etl",
    "task_id": "load_orders",
    "run_id": "scheduled__2026-12-01T00:00:00+00:00",
    "try_number": 2,
    "state": "failed",
    "end_date": datetime(2026, 12, 1, 1, 30, tzinfo=timezone(timedelta(hours=2))),
    "error": "psycopg2.OperationalError: connection refused",
    "log_tail": "...\nconnection refused",
    "base_url": "http://airflow:8080",
    "team": "data",
    "unrelated_column": "ignored",
}


def test_an_airflow_task_failure_row_becomes_an_event_per_try() -> None:
    event = airflow_task_failure_event(AIRFLOW_ROW)
    assert event.type == "airflow_task_failure" and event.source == "airflow:http://airflow:8080"
    assert (event.subject.dag_id, event.subject.task_id, event.subject.try_number) == ("nightly_etl", "load_orders", 2)
    assert event.occurred_at == datetime(2026, 11, 30, 23, 30, tzinfo=UTC) and event.team == "data"
    assert event.payload == {
        "error": "psycopg2.OperationalError: connection refused",
        "log_tail": "...\nconnection refused",
        "state": "failed",
    }
    assert "connection refused" in event.query and "load_orders" in event.query
    assert airflow_task_failure_event({**AIRFLOW_ROW, "error": "other"}).id == event.id
    assert airflow_task_failure_event({**AIRFLOW_ROW, "try_number": 3}).id != event.id
    with pytest.raises(ValueError, match="try_number"):
        airflow_task_failure_event({k: v for k, v in AIRFLOW_ROW.items() if k != "try_number"})
    with pytest.raises(ValueError, match="end_date"):
        airflow_task_failure_event({k: v for k, v in AIRFLOW_ROW.items() if k != "end_date"})


FORECAST_ROW = {
    "dag_id": "nightly_etl",
    "metric": "duration_s",
    "forecast_for": datetime(2026, 12, 2, tzinfo=UTC),
    "forecast_at": "2026-12-01T06:00:00+00:00",
    "predicted": 5400.0,
    "lower": 4800.0,
    "upper": 6100.0,
    "threshold": 5000.0,
    "risk": 0.8,
    "model_version": "prophet-3",
}


def test_a_forecast_risk_row_becomes_an_event_per_target_horizon_and_model() -> None:
    event = forecast_risk_event(FORECAST_ROW)
    assert event.type == "forecast_risk" and event.subject.dag_id == "nightly_etl" and event.subject.task_id is None
    assert event.occurred_at == datetime(2026, 12, 1, 6, tzinfo=UTC)
    assert event.payload["forecast_for"] == "2026-12-02T00:00:00+00:00" and event.payload["risk"] == 0.8
    assert forecast_risk_event({**FORECAST_ROW, "risk": 0.9}).id == event.id
    for change in ({"model_version": "prophet-4"}, {"forecast_for": "2026-12-03T00:00:00+00:00"}, {"task_id": "t"}):
        assert forecast_risk_event({**FORECAST_ROW, **change}).id != event.id
    with pytest.raises(ValueError, match="dag_id or an asset_key"):
        forecast_risk_event({k: v for k, v in FORECAST_ROW.items() if k != "dag_id"})


def test_every_event_type_round_trips_through_the_table() -> None:
    events = [check_failure_event(FAILURE), airflow_task_failure_event(AIRFLOW_ROW), forecast_risk_event(FORECAST_ROW)]
    rows = pl.DataFrame([AIRFLOW_ROW]).iter_rows(named=True)  # a row as the next issue's table yields it
    assert airflow_task_failure_event(next(rows)) == events[1]
    assert events_from_frame(events_to_frame(events)) == sorted(events, key=lambda e: e.id)

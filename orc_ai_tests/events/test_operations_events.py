"""Failed Airflow tasks and at-risk forecasts become agent events; bad rows are quarantined, not fatal."""

from datetime import UTC, datetime, timedelta

import polars as pl

from orc_ai.events.operations import forecast_risk_events, latest_failed_tries, task_failure_events
from orc_ai.forecast.schema import FAILURE_FORECAST_TABLE, FORECAST_SCHEMA
from orc_ai.taskruns.schema import conform_task_runs

T0 = datetime(2026, 4, 30, 1, 0, tzinfo=UTC)


def _try(task, run, n, state, hours, error=None):
    start = T0 + timedelta(hours=hours)
    return {"dag_id": "orders_daily_etl", "run_id": run, "task_id": task, "map_index": -1, "try_number": n,
            "state": state, "start_date": start, "end_date": start + timedelta(minutes=5),
            "error_class": error and "ProgrammingError", "error_message": error}


def _history():
    return conform_task_runs(pl.DataFrame([
        _try("load_to_snowflake", "r1", 1, "failed", 0, "000606 No active warehouse"),
        _try("load_to_snowflake", "r1", 2, "success", 1),  # retried and recovered: no event
        _try("load_to_snowflake", "r2", 1, "failed", 24, "000606 No active warehouse"),
        _try("load_to_snowflake", "r2", 2, "failed", 25, "000606 No active warehouse"),  # the task failed
        _try("extract_orders", "r0", 1, "failed", -24 * 30, "DiskFull"),  # failed, but long before the window
        _try("extract_orders", "r2", 1, "success", 23),
    ]))


def test_only_the_latest_failed_try_of_a_task_in_the_window_is_an_event():
    failed = latest_failed_tries(_history(), timedelta(days=7))
    assert failed.select("run_id", "task_id", "try_number").rows() == [("r2", "load_to_snowflake", 2)]

    result = task_failure_events(_history(), timedelta(days=7), {"orders_daily_etl": "data-platform"})
    [event] = result.events
    assert event.type == "airflow_task_failure" and event.team == "data-platform"
    assert (event.subject.run_id, event.subject.try_number) == ("r2", 2)
    assert event.payload["error"] == "ProgrammingError: 000606 No active warehouse"
    # a wider window reaches the old failure too; ids are stable across calls
    wide = task_failure_events(_history(), timedelta(days=60))
    assert len(wide.events) == 2 and event.id in {e.id for e in wide.events}


def test_a_row_that_cannot_be_an_event_is_quarantined_and_the_rest_kept():
    broken = {**_try("validate_row_counts", "r3", 1, "failed", 26, "ValidationError"), "run_id": None}
    history = pl.concat([_history(), conform_task_runs(pl.DataFrame([broken]))])
    result = task_failure_events(history, timedelta(days=7))
    assert [e.subject.task_id for e in result.events] == ["load_to_snowflake"]
    [bad] = result.quarantined
    assert bad.source_path == "airflow_task_runs" and "run_id" in bad.detail


def test_at_risk_forecasts_become_events_and_others_do_not():
    rows = [
        {"dag_id": "fx_rates_hourly", "task_id": "fetch_rates", "metric": "failure_rate", "forecast_at": T0,
         "forecast_for": T0 + timedelta(days=1), "horizon": "1d", "predicted": 0.4, "lower": 0.2, "upper": 0.6,
         "threshold": 0.2, "at_risk": True, "risk": 0.8, "method": "prophet", "model_name": "m", "model_version": "3"},
        {"dag_id": "fx_rates_hourly", "task_id": "load_rates", "metric": "failure_rate", "forecast_at": T0,
         "forecast_for": T0 + timedelta(days=1), "horizon": "1d", "predicted": 0.01, "lower": 0.0, "upper": 0.02,
         "threshold": 0.2, "at_risk": False, "risk": 0.0, "method": "prophet", "model_name": "m",
         "model_version": "3"},
        {"dag_id": None, "task_id": None, "metric": "failure_rate", "forecast_at": T0,
         "forecast_for": T0 + timedelta(days=1), "horizon": "1d", "predicted": 0.9, "lower": 0.5, "upper": 1.0,
         "threshold": 0.2, "at_risk": True, "risk": 1.0, "method": "prophet", "model_name": "m", "model_version": "3"},
    ]
    later = {**rows[0], "forecast_for": T0 + timedelta(days=2), "horizon": "2d"}  # the same series, a day on
    result = forecast_risk_events(pl.DataFrame([later, *rows], schema=FORECAST_SCHEMA), FAILURE_FORECAST_TABLE)
    [event] = result.events
    assert event.type == "forecast_risk" and event.subject.task_id == "fetch_rates"
    assert event.payload["risk"] == 0.8 and "breaches 0.2" in event.payload["description"]
    assert event.payload["forecast_for"] == (T0 + timedelta(days=1)).isoformat()  # the earliest at-risk target
    [bad] = result.quarantined
    assert "dag_id or an asset_key" in bad.detail
    high = forecast_risk_events(pl.DataFrame([later, *rows], schema=FORECAST_SCHEMA), FAILURE_FORECAST_TABLE, 0.9)
    assert [e.subject.dag_id for e in high.events] == [] and len(high.quarantined) == 1  # 0.8 < 0.9: no event

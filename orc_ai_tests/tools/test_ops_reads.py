"""get_task_history and forecast_lookup: plain answers before their tables exist, the subject's rows after."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from orc_ai.errors import ToolError
from orc_ai.forecast.schema import FORECAST_SCHEMA
from orc_ai.tools.context import ToolContext
from orc_ai.tools.ops_reads import NO_FORECAST, NO_TASK_HISTORY

T0 = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)


def task_runs() -> pl.DataFrame:
    """Three days of orders_daily.load_orders (day 2 failed, then succeeded on its second try), plus noise."""
    rows = [
        ("orders_daily", "load_orders", "scheduled__d1", 1, "success", 0, 60.0, None, None),
        ("orders_daily", "load_orders", "scheduled__d2", 1, "failed", 1, 5.5, "ConnectionError", "reset by peer"),
        ("orders_daily", "load_orders", "scheduled__d2", 2, "success", 1, 61.0, None, None),
        ("orders_daily", "load_orders", "scheduled__d3", 1, "failed", 2, 4.0, "ConnectionError", "timed out"),
        ("orders_daily", "publish", "scheduled__d1", 1, "success", 0, 3.0, None, None),
        ("billing", "load_orders", "scheduled__d1", 1, "failed", 0, 1.0, "KeyError", "'id'"),
    ]
    return pl.DataFrame(
        [
            {
                "dag_id": d,
                "task_id": t,
                "run_id": r,
                "try_number": n,
                "state": s,
                "start_date": T0 + timedelta(days=day, minutes=10 * n),
                "end_date": T0 + timedelta(days=day, minutes=10 * n, seconds=dur),
                "duration_s": dur,
                "error_class": ec,
                "error_message": em,
            }
            for d, t, r, n, s, day, dur, ec, em in rows
        ]
    )


def test_task_history_before_any_is_loaded(call) -> None:
    for runs in (None, task_runs().clear()):
        answer = call("get_task_history", {"dag_id": "orders_daily"}, ToolContext(task_runs=runs))
        assert answer == {"available": False, "dag_id": "orders_daily", "task_id": None, "message": NO_TASK_HISTORY}


def test_task_history_of_one_task_latest_first(call) -> None:
    args = {"dag_id": "orders_daily", "task_id": "load_orders", "limit": 3}
    answer = call("get_task_history", args, ToolContext(task_runs=task_runs()))
    json.dumps(answer)
    assert answer["total_tries"] == 4
    assert answer["states"] == {"failed": 2, "success": 2}
    assert answer["failure_rate"] == 0.5
    assert [(r["run_id"], r["try_number"]) for r in answer["runs"]] == [
        ("scheduled__d3", 1),
        ("scheduled__d2", 2),
        ("scheduled__d2", 1),
    ]
    latest = answer["latest_failure"]
    assert (latest["run_id"], latest["error_class"], latest["error_message"]) == (
        "scheduled__d3",
        "ConnectionError",
        "timed out",
    )
    assert latest["start_date"] == "2026-01-03T02:10:00+00:00"


def test_task_history_of_a_whole_dag_and_of_an_unknown_task(call) -> None:
    ctx = ToolContext(task_runs=task_runs())
    whole = call("get_task_history", {"dag_id": "orders_daily"}, ctx)
    assert whole["total_tries"] == 5 and {r["task_id"] for r in whole["runs"]} == {"load_orders", "publish"}
    unknown = call("get_task_history", {"dag_id": "orders_daily", "task_id": "nope"}, ctx)
    assert unknown["available"] is True and unknown["runs"] == [] and unknown["total_tries"] == 0
    assert unknown["message"] == "no runs recorded for dag 'orders_daily' task 'nope'"
    assert unknown["failure_rate"] is None and unknown["latest_failure"] is None


def test_a_task_runs_table_without_its_columns_is_a_tool_error(call) -> None:
    with pytest.raises(ToolError, match=r"airflow_task_runs table lacks columns \['error_class', 'error_message'\]"):
        call(
            "get_task_history",
            {"dag_id": "orders_daily"},
            ToolContext(task_runs=task_runs().drop("error_class", "error_message")),
        )


def forecasts() -> pl.DataFrame:
    rows = [
        ("orders_daily", "load_orders", "failure_rate", "7d", 0.4),
        ("orders_daily", "load_orders", "failure_rate", "1d", 0.31),
        ("orders_daily", "load_orders", "duration_s", "1d", 61.0),
        ("orders_daily", "publish", "failure_rate", "1d", float("nan")),
        ("billing", "load_orders", "failure_rate", "1d", 0.9),
    ]
    frame = pl.DataFrame(rows, schema=["dag_id", "task_id", "metric", "horizon", "predicted"], orient="row")
    return frame.with_columns(forecast_at=pl.lit(T0)).select(
        [pl.col(c).cast(t) if c in frame.columns or c == "forecast_at" else pl.lit(None, t).alias(c)
         for c, t in FORECAST_SCHEMA.items()]
    )


def test_no_forecast_until_forecasts_exist(call) -> None:
    answer = call("forecast_lookup", {"dag_id": "orders_daily", "task_id": "load_orders"}, ToolContext())
    assert answer["available"] is False and answer["message"] == NO_FORECAST == "no forecast yet"


def test_forecast_rows_of_a_task(call) -> None:
    ctx = ToolContext(forecasts=forecasts())
    answer = call("forecast_lookup", {"dag_id": "orders_daily", "task_id": "load_orders"}, ctx)
    json.dumps(answer)
    got = [(f["metric"], f["horizon"], f["predicted"]) for f in answer["forecasts"]]
    assert got == [("duration_s", "1d", 61.0), ("failure_rate", "1d", 0.31), ("failure_rate", "7d", 0.4)]
    assert answer["forecasts"][0]["forecast_at"] == "2026-01-01T02:00:00+00:00"
    rates = call("forecast_lookup", {"dag_id": "orders_daily", "task_id": "load_orders", "metric": "failure_rate"}, ctx)
    assert [f["horizon"] for f in rates["forecasts"]] == ["1d", "7d"]
    one = call("forecast_lookup", {"dag_id": "orders_daily", "task_id": "publish", "horizon": "1d"}, ctx)
    [row] = one["forecasts"]
    assert (row["task_id"], row["metric"], row["predicted"], row["model_version"]) == ("publish", "failure_rate", None,
                                                                                      None)
    none = call("forecast_lookup", {"dag_id": "orders_daily", "task_id": "load_orders", "horizon": "30d"}, ctx)
    assert none["forecasts"] == [] and none["message"] == "no forecast yet for dag 'orders_daily' task 'load_orders'"

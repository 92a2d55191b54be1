"""The Prophet-interval detector flags a successful try outside its day's forecast interval, and only that."""

from __future__ import annotations

import polars as pl
import pytest

from orc_ai.anomaly.intervals import ForecastInputError, interval_flags
from orc_ai.taskruns.schema import conform_task_runs
from orc_ai_tests.anomaly.forecast_data import duration_forecast
from orc_ai_tests.anomaly.task_runs_data import SLOW_DAY, task_runs

EXTRACT = ("etl_dag", "extract")  # about 120 s a try; 10x on SLOW_DAY


def _tries() -> pl.DataFrame:
    return task_runs().filter(pl.col("duration_s").is_not_null())


def test_a_try_above_its_days_interval_is_flagged_with_the_reason() -> None:
    found = interval_flags(_tries(), duration_forecast(EXTRACT, range(SLOW_DAY - 2, SLOW_DAY + 3), 100.0, 140.0))
    assert found.judged == 5
    assert found.table["run_id"].to_list() == [f"scheduled__{SLOW_DAY:03d}"]
    (reason,) = found.table["reason"].to_list()
    assert reason.startswith("prophet_interval: duration ") and "above the forecast interval [100.0s, 140.0s]" in reason
    assert "for 2026-11-10 (prophet, orc_ai_task_duration_forecast v1)" in reason
    assert 0.9 < found.table["score"][0] < 1.0  # ~1,100 s over an interval 20 s wide


def test_tries_inside_the_interval_or_without_a_forecast_for_their_day_are_not_flagged() -> None:
    found = interval_flags(_tries(), duration_forecast(EXTRACT, range(10, 20), 100.0, 140.0))
    assert found.judged == 10 and found.table.height == 0
    other_task = interval_flags(_tries(), duration_forecast(("etl_dag", "load"), range(SLOW_DAY, SLOW_DAY + 1), 50, 70))
    assert other_task.judged == 1 and other_task.table.height == 0  # the slow try is extract's, not load's


def test_a_try_below_the_interval_is_flagged_and_a_failed_try_is_not_judged() -> None:
    tries = _tries()
    fast_and_failed = tries.with_columns(
        pl.when((pl.col("task_id") == "extract") & (pl.col("run_id") == "scheduled__011"))
        .then(pl.col("duration_s") / 10)
        .otherwise(pl.col("duration_s"))
        .alias("duration_s"),
        pl.when((pl.col("task_id") == "extract") & (pl.col("run_id") == f"scheduled__{SLOW_DAY:03d}"))
        .then(pl.lit("failed"))
        .otherwise(pl.col("state"))
        .alias("state"),
    )
    days = list(range(10, 13)) + [SLOW_DAY]
    forecast = pl.concat([duration_forecast(EXTRACT, range(d, d + 1), 100.0, 140.0) for d in days])
    found = interval_flags(conform_task_runs(fast_and_failed), forecast)
    assert found.judged == 3
    assert found.table["run_id"].to_list() == ["scheduled__011"]
    assert "below the forecast interval" in found.table["reason"][0]


def test_the_newest_forecast_for_a_day_is_the_one_used() -> None:
    old = duration_forecast(EXTRACT, range(SLOW_DAY, SLOW_DAY + 1), 100.0, 140.0)
    newer = old.with_columns(pl.col("forecast_at").dt.offset_by("1d"), pl.lit(100.0).alias("lower"),
                             pl.lit(5000.0).alias("upper"))
    found = interval_flags(_tries(), pl.concat([newer, old]))
    assert found.judged == 1 and found.table.height == 0


def test_a_forecast_table_without_the_schema_is_a_clear_error() -> None:
    with pytest.raises(ForecastInputError, match="missing column"):
        interval_flags(_tries(), pl.DataFrame({"dag_id": ["etl_dag"], "lower": [1.0]}))

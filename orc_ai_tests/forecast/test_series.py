"""Daily series from a small, hand-written task-run frame."""

from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from orc_ai.forecast.series import SERIES_SCHEMA, build_daily_series
from orc_ai.taskruns.schema import conform_task_runs


def _try(run: str, task: str, n: int, state: str, start: str | None, seconds: float | None) -> dict:
    begin = datetime.fromisoformat(start).replace(tzinfo=UTC) if start else None
    end = begin + timedelta(seconds=seconds) if begin is not None and seconds is not None else None
    return {
        "dag_id": "etl",
        "run_id": run,
        "task_id": task,
        "map_index": -1,
        "try_number": n,
        "state": state,
        "start_date": begin,
        "end_date": end,
        "duration_s": seconds,
    }


@pytest.fixture
def runs() -> pl.DataFrame:
    return conform_task_runs(
        pl.DataFrame(
            [
                # day 1, run r1: extract fails once then succeeds, load succeeds -> the run succeeded
                _try("r1", "extract", 1, "failed", "2026-09-01T06:00:00", 5.0),
                _try("r1", "extract", 2, "success", "2026-09-01T06:01:00", 10.0),
                _try("r1", "load", 1, "success", "2026-09-01T06:02:00", 30.0),
                # day 1, run r2: extract succeeds (20 s), load fails for good -> the run failed; a skipped task
                _try("r2", "extract", 1, "success", "2026-09-01T12:00:00", 20.0),
                _try("r2", "load", 1, "failed", "2026-09-01T12:01:00", 3.0),
                _try("r2", "notify", 1, "skipped", "2026-09-01T12:02:00", None),
                # day 2: one retrying try and a success; one try that never started and has no logical date
                _try("r3", "extract", 1, "up_for_retry", "2026-09-02T06:00:00", 4.0),
                _try("r3", "extract", 2, "success", "2026-09-02T06:05:00", 12.0),
                _try("r4", "extract", 1, "failed", None, None),
            ]
        )
    )


def test_task_durations_are_the_daily_median_of_successful_tries(runs):
    out = build_daily_series(runs, "duration_s")
    extract = out.frame.filter(pl.col("task_id") == "extract")
    assert extract.select("ds", "y", "tries").rows() == [(date(2026, 9, 1), 15.0, 2), (date(2026, 9, 2), 12.0, 1)]
    assert out.frame.filter(pl.col("task_id") == "load")["y"].to_list() == [30.0]  # the failed 3 s try is left out
    assert out.frame.schema == pl.Schema(SERIES_SCHEMA)
    assert out.undated_tries == 1


def test_dag_duration_is_the_wall_time_of_runs_that_succeeded(runs):
    dag = build_daily_series(runs, "duration_s").frame.filter(pl.col("task_id").is_null())
    # r1: its first try 06:00:00 -> load's end 06:02:30; r2 failed; r3 (a retry, then success): 06:00:00 -> 06:05:12
    assert dag.select("ds", "y", "tries").rows() == [(date(2026, 9, 1), 150.0, 1), (date(2026, 9, 2), 312.0, 1)]


def test_failure_rate_counts_failed_and_retried_tries_among_finished_ones(runs):
    out = build_daily_series(runs, "failure_rate").frame
    extract = out.filter(pl.col("task_id") == "extract").select("ds", "y", "tries").rows()
    assert extract == [(date(2026, 9, 1), pytest.approx(1 / 3), 3), (date(2026, 9, 2), 0.5, 2)]
    dag = out.filter(pl.col("task_id").is_null()).select("ds", "y", "tries").rows()
    assert dag == [(date(2026, 9, 1), pytest.approx(2 / 5), 5), (date(2026, 9, 2), 0.5, 2)]  # skipped not counted
    assert out.filter(pl.col("task_id") == "notify").is_empty()


def test_an_unknown_metric_is_refused(runs):
    with pytest.raises(ValueError, match="unknown forecast metric"):
        build_daily_series(runs, "latency")

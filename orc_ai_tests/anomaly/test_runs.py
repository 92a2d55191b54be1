"""run_anomalies: the slow try is flagged by both detectors with a reason; results are reproducible."""

from __future__ import annotations

import polars as pl

from orc_ai import defaults
from orc_ai.anomaly.params import DetectorParams
from orc_ai.anomaly.runs import RUN_ANOMALIES_SCHEMA, run_anomalies
from orc_ai_tests.anomaly.forecast_data import duration_forecast
from orc_ai_tests.anomaly.task_runs_data import SLOW_DAY, task_runs


def _run(frame: pl.DataFrame, **kwargs):
    options = {
        "detector": DetectorParams(**defaults.RUN_ANOMALY_DETECTOR),
        "contamination": defaults.RUN_ANOMALY_CONTAMINATION,
        "min_tries": defaults.RUN_ANOMALY_MIN_TRIES,
        "seed": 0,
    }
    return run_anomalies(frame, **(options | kwargs))


def test_the_slow_try_is_flagged_by_both_detectors_with_its_reason() -> None:
    found = _run(task_runs())
    assert found.table.schema == pl.Schema(RUN_ANOMALIES_SCHEMA)
    slow = found.table.filter((pl.col("task_id") == "extract") & (pl.col("run_id") == f"scheduled__{SLOW_DAY:03d}"))
    assert slow.height == 1
    assert slow["detectors"][0] == "isolation_forest,streaming"
    assert "streaming: duration" in slow["reason"][0] and "isolation_forest: duration" in slow["reason"][0]
    assert 0.5 <= slow["score"][0] <= 1.0
    assert found.table.height <= 0.05 * found.metrics["tries_scored"] + 1  # a handful, not every try


def test_metrics_count_tries_and_flags_and_params_name_the_seed() -> None:
    found = _run(task_runs())
    assert found.metrics["tries"] == 271 and found.metrics["tries_scored"] == 270
    assert found.metrics["tries_without_duration"] == 1 and found.metrics["series"] == 3
    assert found.metrics["flagged_tries"] == found.table.height
    assert found.params["seed"] == 0 and found.params["streaming_probation"] == 10


def test_results_are_reproducible_and_an_unchanged_history_gives_the_same_table() -> None:
    frame = task_runs()
    assert _run(frame).table.equals(_run(frame.sample(fraction=1.0, shuffle=True, seed=3)).table)


def test_a_short_history_skips_the_forest_without_failing() -> None:
    found = _run(task_runs(days=4))
    assert found.metrics["isolation_forest_fitted"] == 0.0
    assert found.table.height == 0


def test_without_a_forecast_the_interval_detector_is_skipped_with_the_reason() -> None:
    found = _run(task_runs())
    assert found.skipped == {"prophet_interval": "no task_duration_forecast table (not materialised yet)"}
    assert found.metrics["prophet_interval_run"] == 0.0 and found.metrics["flagged_prophet_interval"] == 0.0


def test_the_interval_detector_joins_the_others_and_a_missing_forecast_leaves_their_results_unchanged() -> None:
    frame = task_runs()
    without = _run(frame)
    extract = ("etl_dag", "extract")
    # a day with an ordinary try (outside a too-narrow interval) and the slow day (far above the interval)
    forecast = duration_forecast(extract, range(SLOW_DAY - 1, SLOW_DAY + 1), 100.0, 101.0)
    with_forecast = _run(frame, duration_forecast=forecast)
    assert with_forecast.skipped == {} and with_forecast.metrics["prophet_interval_judged"] == 2
    slow = with_forecast.table.filter(pl.col("run_id") == f"scheduled__{SLOW_DAY:03d}", pl.col("task_id") == "extract")
    assert slow["detectors"][0] == "isolation_forest,prophet_interval,streaming"
    assert "prophet_interval: duration" in slow["reason"][0] and "streaming: duration" in slow["reason"][0]
    day_before = with_forecast.table.filter(pl.col("run_id") == f"scheduled__{SLOW_DAY - 1:03d}")
    assert day_before["detectors"].to_list() == ["prophet_interval"]
    others = with_forecast.table.filter(pl.col("detectors") != "prophet_interval").with_columns(
        pl.col("detectors").str.replace(",prophet_interval", ""),
        pl.col("reason").str.replace(r"; prophet_interval: [^;]*", ""),
    )
    assert others.select(pl.exclude("score")).equals(without.table.select(pl.exclude("score")))

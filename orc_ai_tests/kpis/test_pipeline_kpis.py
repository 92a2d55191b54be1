"""pipeline_kpis on a constructed history: every figure worked out from the rows by hand."""

from __future__ import annotations

from datetime import timedelta
from statistics import mean, stdev

import polars as pl
import pytest

from orc_ai.forecast.schema import empty_forecasts
from orc_ai.kpis.pipeline import KPI_SCHEMA, compute_pipeline_kpis
from orc_ai.kpis.reliability import incidents
from orc_ai.settings import BUNDLED_CORPUS_DIR
from orc_ai_tests.kpis.history import at, forecast_row, forecasts, history

DAY = timedelta(days=1)


def _rows(kpis) -> dict:
    return {r["dag_id"]: r for r in kpis.table.iter_rows(named=True)}


def test_success_rates_count_finished_runs_and_tries_that_ran() -> None:
    kpis = compute_pipeline_kpis(history(), forecasts(), window=DAY)
    assert kpis.table.schema == pl.Schema(KPI_SCHEMA)
    rows = _rows(kpis)
    assert list(rows) == ["etl", "report", None]
    etl, report, overall = rows["etl"], rows["report"], rows[None]
    # etl runs 1 and 3 succeeded, run 2 failed (load's only try failed)
    assert (etl["finished_runs"], etl["successful_runs"], etl["run_success_rate"]) == (3, 2, pytest.approx(2 / 3))
    # report run 1 is unfinished (render running); run 2 finished failed
    assert (report["finished_runs"], report["successful_runs"], report["run_success_rate"]) == (1, 0, 0.0)
    # tries that ran: etl 5 extract (3 ok) + 3 load (2 ok); report: send ok, send failed (running, upstream_failed out)
    assert (etl["tries"], etl["successful_tries"]) == (8, 5)
    assert (report["tries"], report["successful_tries"]) == (2, 1)
    assert overall["run_success_rate"] == pytest.approx(2 / 4)
    assert overall["try_success_rate"] == pytest.approx(6 / 10)


def test_mttr_runs_from_the_first_failure_to_the_next_success_of_the_task() -> None:
    rows = _rows(compute_pipeline_kpis(history(), forecasts(), window=DAY))
    extract = (at(1, 12 + 1) - at(1, 0 + 1)).total_seconds()  # try 1 ended 00:01, try 3 ended 00:13 (same run)
    load = (at(3, 0 + 5) - at(2, 5 + 1)).total_seconds()  # failed in run 2, recovered in run 3
    assert rows["etl"]["incidents"] == 2 and rows["etl"]["open_incidents"] == 0
    assert rows["etl"]["mttr_s"] == pytest.approx(mean([extract, load]))
    assert (rows["report"]["incidents"], rows["report"]["open_incidents"], rows["report"]["mttr_s"]) == (1, 1, None)
    assert rows[None]["mttr_s"] == pytest.approx(mean([extract, load]))
    assert rows[None]["open_incidents"] == 1


def test_a_second_failure_in_a_row_does_not_open_a_new_incident() -> None:
    opened = incidents(history()).filter(pl.col("task_id") == "extract")
    assert opened.height == 1 and opened["failed_at"][0] == at(1, 1)


def test_execution_time_variation_is_the_cv_of_successful_durations() -> None:
    rows = _rows(compute_pipeline_kpis(history(), forecasts(), window=DAY))
    extract = stdev([60, 120, 180]) / mean([60, 120, 180])  # successful extract tries: 1, 2 and 3 minutes
    load = 0.0  # both successful loads took 5 minutes
    assert rows["etl"]["cv_tasks"] == 2
    assert rows["etl"]["duration_cv"] == pytest.approx(mean([extract, load]))
    assert (rows["report"]["cv_tasks"], rows["report"]["duration_cv"]) == (0, None)  # one successful send only
    assert rows[None]["duration_cv"] == pytest.approx(mean([extract, load]))


def test_alert_precision_and_recall_against_the_failures_that_followed() -> None:
    kpis = compute_pipeline_kpis(history(), forecasts(), window=DAY)
    rows = _rows(kpis)
    etl, report, overall = rows["etl"], rows["report"], rows[None]
    # etl: hit on day 1, false alarm on day 2 (the later forecast wins), missed DAG failure on day 2; day 3's window
    # has not passed (the last try ended at 00:05 on day 3)
    assert (etl["judged_windows"], etl["alerts"], etl["alert_hits"], etl["failed_windows"]) == (3, 2, 1, 2)
    assert (etl["alert_precision"], etl["alert_recall"]) == (0.5, 0.5)
    assert (report["judged_windows"], report["alerts"], report["failed_windows"]) == (2, 1, 1)
    assert (report["alert_precision"], report["alert_recall"], report["alert_reason"]) == (1.0, 1.0, None)
    assert overall["alert_precision"] == pytest.approx(2 / 3) and overall["alert_recall"] == pytest.approx(2 / 3)
    assert kpis.pending_windows == 2  # days 3 and 10 have not been observed to their end


def test_a_failure_outside_the_window_is_not_a_hit() -> None:
    late = forecasts().filter(pl.col("task_id") == "send").with_columns(pl.col("forecast_for") + timedelta(hours=1))
    rows = _rows(compute_pipeline_kpis(history(), late, window=timedelta(minutes=30)))  # send failed 00:31 on day 2
    assert (rows["report"]["alerts"], rows["report"]["alert_hits"], rows["report"]["alert_precision"]) == (1, 0, 0.0)
    assert rows["report"]["alert_recall"] is None
    assert rows["report"]["alert_reason"] == "no failures in the forecast windows"


def test_empty_or_quiet_forecasts_give_null_scores_with_a_reason() -> None:
    rows = _rows(compute_pipeline_kpis(history(), empty_forecasts(), window=DAY))
    assert rows[None]["alert_precision"] is None and rows[None]["alert_recall"] is None
    assert rows[None]["alert_reason"] == "no forecast window has passed yet"
    assert rows["etl"]["try_success_rate"] == pytest.approx(5 / 8)  # the other KPIs still stand
    quiet = pl.DataFrame([forecast_row("etl", "extract", 1, False)], schema=empty_forecasts().schema, strict=False)
    overall = _rows(compute_pipeline_kpis(history(), quiet, window=DAY))[None]
    assert overall["alert_precision"] is None and overall["alert_recall"] == 0.0
    assert overall["alert_reason"] == "no alerts"


def test_an_empty_history_gives_null_rates_not_a_crash() -> None:
    kpis = compute_pipeline_kpis(history().clear(), forecasts(), window=DAY)
    overall = kpis.overall()
    assert overall["run_success_rate"] is None and overall["try_success_rate"] is None and overall["mttr_s"] is None
    assert overall["alert_reason"] == "no forecast window has passed yet"


def test_bundled_sample_history_rates_match_its_state_counts() -> None:
    real = pl.read_parquet(BUNDLED_CORPUS_DIR.parent / "sample_airflow" / "task_runs.parquet")
    overall = compute_pipeline_kpis(real, empty_forecasts(), window=DAY).overall()
    counts = dict(real["state"].value_counts().iter_rows())
    ran = counts.get("success", 0) + counts.get("failed", 0) + counts.get("up_for_retry", 0)
    assert overall["try_success_rate"] == pytest.approx(counts["success"] / ran)
    assert 0 < overall["run_success_rate"] <= 1 and overall["mttr_s"] > 0

"""A whole history forecast: FORECAST_SCHEMA rows per series and horizon, risk where the history says so."""

import polars as pl
import pytest

from orc_ai.forecast.model import ForecastSettings
from orc_ai.forecast.run import ForecastError, check_failed_fits, forecast_task_runs
from orc_ai.forecast.schema import FORECAST_SCHEMA
from orc_ai_tests.forecast.history import task_history


@pytest.fixture(scope="module")
def history() -> pl.DataFrame:
    flaky = task_history("flaky", {"fetch": 30.0, "store": 60.0}, 21, fail_every=2, seed=1)  # fetch fails 1 in 3
    young = task_history("young", {"only": 10.0}, 5, seed=2)
    return pl.concat([flaky, young])


def test_failure_forecast_rows_follow_the_schema_and_flag_the_flaky_task(history):
    run = forecast_task_runs(history, "failure_rate", horizon_days=3, folds=1, workers=1)
    f = run.forecasts
    assert f.schema == pl.Schema(FORECAST_SCHEMA)
    assert f.height == 5 * 3  # flaky.fetch, flaky.store, flaky, young.only, young
    assert f["horizon"].unique().sort().to_list() == ["1d", "2d", "3d"]
    assert f["forecast_at"].unique().to_list() == [history["end_date"].max()]
    at_risk = f.filter("at_risk").select("dag_id", "task_id").unique().sort("task_id", nulls_last=True).rows()
    assert at_risk == [("flaky", "fetch"), ("flaky", None)]  # about 1/3 and 1/5 of tries fail; threshold 0.2
    methods = dict(f.select(pl.concat_str("dag_id", pl.col("task_id").fill_null("*"), separator="."), "method").rows())
    assert methods == {
        "flaky.fetch": "prophet",
        "flaky.store": "recent_median",
        "flaky.*": "prophet",
        "young.only": "recent_median",
        "young.*": "recent_median",
    }  # store never fails: constant
    assert run.counts["series"] == 5 and run.counts["prophet_series"] == 2
    assert set(run.models) == {"flaky.fetch", "flaky"}
    assert 0 <= run.metrics["backtest_coverage"] <= 1 and run.metrics["backtest_points"] > 0


def test_too_many_failed_fits_fail_the_run(history):
    run = forecast_task_runs(
        history, "duration_s", horizon_days=2, folds=0, workers=1, settings=ForecastSettings(min_history_days=5)
    )
    check_failed_fits(run, 0.2)  # nothing failed
    failed = run.backtests.with_columns(pl.lit("RuntimeError: boom").alias("error"))
    broken = type(run)(**{**run.__dict__, "backtests": failed, "counts": {**run.counts, "failed_fits": 3}})
    with pytest.raises(ForecastError, match="3 of 5 Prophet fits failed"):
        check_failed_fits(broken, 0.2)

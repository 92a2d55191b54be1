"""Fits in worker processes give exactly the serial results, in the jobs' order."""

from datetime import date, timedelta

import numpy as np

from orc_ai.forecast.model import ForecastSettings
from orc_ai.forecast.parallel import SeriesJob, forecast_many


def _jobs() -> list[SeriesJob]:
    rng = np.random.default_rng(7)
    days = tuple(date(2026, 9, 1) + timedelta(days=i) for i in range(28))
    jobs = [SeriesJob("dag", f"t{i}", "duration_s", days, tuple(50 + 10 * i + rng.normal(0, 3, 28))) for i in range(4)]
    return [*jobs, SeriesJob("dag", None, "duration_s", days[:5], (1.0, 2.0, 3.0, 4.0, 5.0))]


def test_two_workers_give_the_serial_results():
    jobs = _jobs()
    serial = forecast_many(jobs, ForecastSettings(), horizon_days=3, folds=1, workers=1)
    parallel = forecast_many(jobs, ForecastSettings(), horizon_days=3, folds=1, workers=2)
    assert [o.job for o in parallel] == jobs
    assert [(o.forecast.method, o.forecast.predicted, o.forecast.lower, o.forecast.upper) for o in parallel] == [
        (o.forecast.method, o.forecast.predicted, o.forecast.lower, o.forecast.upper) for o in serial
    ]
    assert [o.backtest for o in parallel] == [o.backtest for o in serial]
    assert {o.forecast.method for o in serial} == {"prophet", "recent_median"}

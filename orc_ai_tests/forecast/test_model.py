"""One series' forecast: the Prophet path (enough history) and the recent-median fallback."""

from datetime import date, timedelta

import numpy as np
import pytest
from prophet.serialize import model_from_json

from orc_ai.forecast.backtest import future_days
from orc_ai.forecast.model import FALLBACK, PROPHET, ForecastSettings, forecast_series

DAYS = [date(2026, 9, 1) + timedelta(days=i) for i in range(42)]


def _weekly(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 100 + 20 * np.sin(2 * np.pi * np.arange(n) / 7) + rng.normal(0, 2, n)


def test_prophet_follows_a_weekly_series_and_its_model_round_trips():
    y = _weekly(49)
    future = future_days(DAYS[-1], 7)
    out = forecast_series(DAYS, y[:42], future, "duration_s", ForecastSettings())
    assert out.method == PROPHET and out.error is None and out.ds == tuple(future)
    assert np.mean(np.abs(np.array(out.predicted) - y[42:])) < 5  # the wave is +-20; noise sd 2
    assert all(lo < p < hi for lo, p, hi in zip(out.lower, out.predicted, out.upper, strict=True))
    model = model_from_json(out.model_json)
    again = model.predict(model.make_future_dataframe(7, include_history=False))["yhat"].to_numpy()
    assert np.allclose(again, out.predicted)


def test_prophet_forecasts_are_reproducible():
    y = _weekly(42, seed=3)
    a = forecast_series(DAYS, y, future_days(DAYS[-1], 3), "duration_s", ForecastSettings())
    b = forecast_series(DAYS, y, future_days(DAYS[-1], 3), "duration_s", ForecastSettings())
    assert (a.predicted, a.lower, a.upper) == (b.predicted, b.lower, b.upper)


def test_a_short_series_gets_the_recent_median_and_its_empirical_quantiles():
    y = np.array([10.0, 14.0, 11.0, 30.0, 12.0, 13.0])
    settings = ForecastSettings(min_history_days=14, fallback_window_days=5)
    out = forecast_series(DAYS[:6], y, future_days(DAYS[5], 2), "duration_s", settings)
    recent = [14.0, 11.0, 30.0, 12.0, 13.0]
    assert out.method == FALLBACK and out.model_json is None
    assert out.predicted == (13.0, 13.0)
    assert out.lower == pytest.approx((np.quantile(recent, 0.1),) * 2)
    assert out.upper == pytest.approx((np.quantile(recent, 0.9),) * 2)


def test_a_constant_history_gets_the_fallback_and_rates_stay_in_range():
    flat = forecast_series(DAYS, np.zeros(42), future_days(DAYS[-1], 2), "failure_rate", ForecastSettings())
    assert flat.method == FALLBACK and flat.predicted == (0.0, 0.0) and flat.upper == (0.0, 0.0)
    rising = np.linspace(0.2, 0.95, 42) + np.random.default_rng(1).normal(0, 0.01, 42)
    out = forecast_series(DAYS, rising, future_days(DAYS[-1], 7), "failure_rate", ForecastSettings())
    assert out.method == PROPHET
    assert max(out.upper) == 1.0 and min(out.lower) >= 0.0  # the trend would pass 1: clipped


def test_an_empty_series_is_an_error():
    with pytest.raises(ValueError, match="at least one observation"):
        forecast_series([], np.array([]), [DAYS[0]], "duration_s", ForecastSettings())

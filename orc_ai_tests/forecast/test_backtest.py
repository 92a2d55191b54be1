"""Backtest scores on constructed cases, and rolling origins that hold out the right days."""

from datetime import date, timedelta

import numpy as np
import pytest

from orc_ai.forecast.backtest import BacktestPoints, interval_coverage, pinball_loss, rolling_origin_backtest, score
from orc_ai.forecast.model import ForecastSettings


def test_coverage_counts_actuals_inside_closed_intervals():
    actual = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    lower = np.array([0.0, 2.5, 3.0, 5.0, 0.0])
    upper = np.array([2.0, 3.0, 3.0, 6.0, 4.0])
    # inside, below, on both bounds, below, above
    assert interval_coverage(actual, lower, upper) == 0.4
    assert np.isnan(interval_coverage(np.array([]), np.array([]), np.array([])))


def test_pinball_loss_weights_under_and_over_forecasts_by_the_quantile():
    # actual 10: forecast 8 is 2 under (0.9 * 2), forecast 13 is 3 over (0.1 * 3)
    assert pinball_loss(np.array([10.0, 10.0]), np.array([8.0, 13.0]), 0.9) == pytest.approx((1.8 + 0.3) / 2)


def test_score_pools_points():
    points = BacktestPoints(
        actual=(10.0, 0.0, 5.0), predicted=(8.0, 1.0, 5.0), lower=(9.0, 0.0, 4.0), upper=(11.0, 2.0, 6.0)
    )
    s = score(points, 0.8)
    assert s["mae"] == pytest.approx(1.0)
    assert s["mape"] == pytest.approx((0.2 + 0.0) / 2)  # the zero actual is left out
    assert s["wape"] == pytest.approx(3 / 15)
    assert s["coverage"] == 1.0 and s["points"] == 3.0


def test_rolling_origins_refit_on_the_days_before_each_cutoff():
    days = [date(2026, 9, 1) + timedelta(days=i) for i in range(12)]
    y = np.arange(12, dtype=float)  # 0..11
    settings = ForecastSettings(min_history_days=100, fallback_window_days=3)  # always the fallback: medians
    points = rolling_origin_backtest(days, y, "duration_s", settings, folds=2, horizon_days=3)
    # fold 2 trains on 0..5 (median of 3..5 = 4) and scores 6..8; fold 1 trains on 0..8 (median 7), scores 9..11
    assert points.actual == (6.0, 7.0, 8.0, 9.0, 10.0, 11.0)
    assert points.predicted == (4.0, 4.0, 4.0, 7.0, 7.0, 7.0)


def test_a_gap_in_the_series_scores_only_observed_days_and_short_series_hold_nothing_out():
    days = [date(2026, 9, 1) + timedelta(days=i) for i in (0, 1, 2, 3, 6)]
    points = rolling_origin_backtest(days, np.ones(5), "duration_s", ForecastSettings(), folds=1, horizon_days=3)
    assert points.actual == (1.0,)  # days 4..6 held out, only day 6 was observed
    assert (
        rolling_origin_backtest(days[:1], np.ones(1), "duration_s", ForecastSettings(), folds=2, horizon_days=3).n == 0
    )

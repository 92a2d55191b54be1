"""Rolling-origin backtest of one series: refit at each origin, score the next ``horizon_days`` observed days.

Origins are the last ``folds`` cut-offs, ``horizon_days`` apart: fold k trains on days before
``last_day - k * horizon_days`` and is scored on the observed days of the following ``horizon_days``. Each fold
uses the same method rule as the live forecast (so early folds of a young series may use the fallback). Errors are
kept per point so scores pool across series without averaging averages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from orc_ai.forecast.model import ForecastSettings, forecast_series


@dataclass(frozen=True)
class BacktestPoints:
    """Actual, predicted and interval per scored point (all folds together)."""

    actual: tuple[float, ...] = ()
    predicted: tuple[float, ...] = ()
    lower: tuple[float, ...] = ()
    upper: tuple[float, ...] = ()

    @property
    def n(self) -> int:
        return len(self.actual)


def interval_coverage(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Share of actuals inside their closed interval [lower, upper]; NaN with no points."""
    actual = np.asarray(actual, dtype=float)
    if actual.size == 0:
        return float("nan")
    return float(np.mean((actual >= np.asarray(lower)) & (actual <= np.asarray(upper))))


def pinball_loss(actual: np.ndarray, forecast: np.ndarray, quantile: float) -> float:
    """Mean pinball (quantile) loss of ``forecast`` as the ``quantile`` of ``actual``."""
    diff = np.asarray(actual, dtype=float) - np.asarray(forecast, dtype=float)
    return float(np.mean(np.maximum(quantile * diff, (quantile - 1) * diff)))


def score(points: BacktestPoints, interval_width: float) -> dict[str, float]:
    """mae, mape (over non-zero actuals), wape, pinball (mean over the interval's two quantiles and the median),
    coverage and the point count."""
    a, p = np.asarray(points.actual, dtype=float), np.asarray(points.predicted, dtype=float)
    lo, hi = np.asarray(points.lower, dtype=float), np.asarray(points.upper, dtype=float)
    if a.size == 0:
        nan = float("nan")
        return {"mae": nan, "mape": nan, "wape": nan, "pinball": nan, "coverage": nan, "points": 0.0}
    err = np.abs(a - p)
    nonzero = a != 0
    tail = (1 - interval_width) / 2
    total = float(np.abs(a).sum())
    return {
        "mae": float(err.mean()),
        "mape": float(np.mean(err[nonzero] / np.abs(a[nonzero]))) if nonzero.any() else float("nan"),
        "wape": float(err.sum() / total) if total > 0 else float("nan"),
        "pinball": float(np.mean([pinball_loss(a, lo, tail), pinball_loss(a, p, 0.5), pinball_loss(a, hi, 1 - tail)])),
        "coverage": interval_coverage(a, lo, hi),
        "points": float(a.size),
    }


def rolling_origin_backtest(
    ds: list[date], y: np.ndarray, metric: str, settings: ForecastSettings, *, folds: int, horizon_days: int
) -> BacktestPoints:
    """The scored points of ``folds`` rolling origins (none when the series is too short to hold one out)."""
    y = np.asarray(y, dtype=float)
    days = np.array(ds, dtype="datetime64[D]")
    actual, predicted, lower, upper = [], [], [], []
    for k in range(folds, 0, -1):
        cutoff = days[-1] - np.timedelta64(k * horizon_days, "D")
        train = days <= cutoff
        test = (days > cutoff) & (days <= cutoff + np.timedelta64(horizon_days, "D"))
        if train.sum() < 2 or not test.any():
            continue
        train_ds = [d.item() for d in days[train]]
        test_ds = [d.item() for d in days[test]]
        fc = forecast_series(train_ds, y[train], test_ds, metric, settings)
        actual += y[test].tolist()
        predicted += fc.predicted
        lower += fc.lower
        upper += fc.upper
    return BacktestPoints(tuple(actual), tuple(predicted), tuple(lower), tuple(upper))


def future_days(last: date, horizon_days: int) -> list[date]:
    """The ``horizon_days`` days after ``last``."""
    return [last + timedelta(days=i) for i in range(1, horizon_days + 1)]

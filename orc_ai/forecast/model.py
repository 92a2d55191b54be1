"""One series' forecast: Prophet with enough history, else the recent-median fallback.

Fallback (fewer than ``min_history_days`` observed days, or a constant history: Prophet has nothing to fit there
and its optimiser fails on it): the median of the last ``fallback_window_days``
observations, with their empirical (1 - w)/2 and (1 + w)/2 quantiles as the interval (w = interval_width): a
flat forecast that is honest about the spread seen lately. Forecasts are clipped to the metric's range
(durations >= 0, failure rates in [0, 1]).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import numpy as np

from orc_ai import defaults

PROPHET = "prophet"
FALLBACK = "recent_median"
_BOUNDS = {"duration_s": (0.0, None), "failure_rate": (0.0, 1.0)}


@dataclass(frozen=True)
class ForecastSettings:
    """Everything that decides a forecast; the same settings and data give the same numbers."""

    min_history_days: int = defaults.FORECAST_MIN_HISTORY_DAYS
    fallback_window_days: int = defaults.FORECAST_FALLBACK_WINDOW_DAYS
    interval_width: float = defaults.FORECAST_INTERVAL_WIDTH
    uncertainty_samples: int = defaults.FORECAST_UNCERTAINTY_SAMPLES
    changepoint_prior_scale: float = defaults.FORECAST_CHANGEPOINT_PRIOR
    seed: int = defaults.FORECAST_SEED


@dataclass(frozen=True)
class SeriesForecast:
    """Predicted value and interval per target day; ``model_json`` is prophet.serialize's JSON (Prophet only)."""

    method: str
    ds: tuple[date, ...]
    predicted: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    model_json: str | None = None
    error: str | None = None  # Prophet raised; this is the fallback's forecast


def quiet_stan_logging() -> None:
    """cmdstanpy logs every optimisation (and each L-BFGS failure Prophet then retries with Newton); a fit that
    still fails raises, and the caller records it."""
    from cmdstanpy.utils.logging import get_logger

    get_logger().setLevel(logging.CRITICAL)  # after cmdstanpy set up its own handler and level, which it does once
    logging.getLogger("prophet").setLevel(logging.ERROR)


def _clip(values: np.ndarray, metric: str) -> tuple[float, ...]:
    low, high = _BOUNDS[metric]
    return tuple(float(v) for v in np.clip(values, low, high))


def fallback_forecast(y: np.ndarray, future: list[date], metric: str, settings: ForecastSettings) -> SeriesForecast:
    """Median and empirical quantiles of the last ``fallback_window_days`` observations, flat over ``future``."""
    recent = np.asarray(y, dtype=float)[-settings.fallback_window_days :]
    tail = (1 - settings.interval_width) / 2
    low, mid, high = np.quantile(recent, [tail, 0.5, 1 - tail])
    n = len(future)
    return SeriesForecast(
        FALLBACK,
        tuple(future),
        _clip(np.full(n, mid), metric),
        _clip(np.full(n, low), metric),
        _clip(np.full(n, high), metric),
    )


def prophet_forecast(
    ds: list[date], y: np.ndarray, future: list[date], metric: str, settings: ForecastSettings
) -> SeriesForecast:
    """Prophet fitted by L-BFGS (seeded), weekly seasonality only (daily points), interval_width from settings."""
    import pandas as pd
    from prophet import Prophet
    from prophet.serialize import model_to_json

    model = Prophet(
        interval_width=settings.interval_width,
        uncertainty_samples=settings.uncertainty_samples,
        changepoint_prior_scale=settings.changepoint_prior_scale,
        yearly_seasonality=False,
        daily_seasonality=False,
        weekly_seasonality=len(ds) >= 14,
    )
    # Prophet's own default is Newton below 100 points: 5x slower here, with L-BFGS falling back to Newton anyway
    model.fit(pd.DataFrame({"ds": pd.to_datetime(ds), "y": y}), algorithm="LBFGS", seed=settings.seed)
    np.random.seed(settings.seed)  # Prophet samples its intervals from numpy's global generator
    out = model.predict(pd.DataFrame({"ds": pd.to_datetime(future)}))
    return SeriesForecast(
        PROPHET,
        tuple(future),
        _clip(out["yhat"].to_numpy(), metric),
        _clip(out["yhat_lower"].to_numpy(), metric),
        _clip(out["yhat_upper"].to_numpy(), metric),
        model_json=model_to_json(model),
    )


def forecast_series(
    ds: list[date], y: np.ndarray, future: list[date], metric: str, settings: ForecastSettings
) -> SeriesForecast:
    """Prophet when the series has ``min_history_days`` observed days, else the fallback; a Prophet error falls
    back too, with the error kept on the result (counted by the caller)."""
    if len(ds) == 0:
        raise ValueError("a series needs at least one observation")
    if len(ds) < settings.min_history_days or np.ptp(y) == 0:
        return fallback_forecast(y, future, metric, settings)
    try:
        return prophet_forecast(ds, y, future, metric, settings)
    except Exception as exc:  # noqa: BLE001 - one series' failed fit must not lose the series
        result = fallback_forecast(y, future, metric, settings)
        return SeriesForecast(**{**result.__dict__, "error": f"{type(exc).__name__}: {exc}"})

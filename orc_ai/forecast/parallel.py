"""Fit many series in worker processes (``ProcessPoolExecutor``, spawn start method): each series is independent
and seeded, so the results do not depend on the worker count or on which process fitted which series."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date

import numpy as np

from orc_ai.forecast.backtest import BacktestPoints, future_days, rolling_origin_backtest
from orc_ai.forecast.model import ForecastSettings, SeriesForecast, forecast_series, quiet_stan_logging
from orc_ai.progress import Progress, or_silent


@dataclass(frozen=True)
class SeriesJob:
    """One series to forecast: its key and its observed days and values (sorted by day)."""

    dag_id: str
    task_id: str | None
    metric: str
    ds: tuple[date, ...]
    y: tuple[float, ...]


@dataclass(frozen=True)
class SeriesOutcome:
    """A series' live forecast and its backtest points."""

    job: SeriesJob
    forecast: SeriesForecast
    backtest: BacktestPoints


@dataclass(frozen=True)
class _Plan:
    settings: ForecastSettings
    horizon_days: int
    folds: int


def run_job(job: SeriesJob, plan: _Plan) -> SeriesOutcome:
    """Backtest then forecast one series."""
    ds, y = list(job.ds), np.asarray(job.y, dtype=float)
    points = rolling_origin_backtest(ds, y, job.metric, plan.settings, folds=plan.folds, horizon_days=plan.horizon_days)
    forecast = forecast_series(ds, y, future_days(ds[-1], plan.horizon_days), job.metric, plan.settings)
    return SeriesOutcome(job, forecast, points)


def _run_chunk(jobs: list[SeriesJob], plan: _Plan) -> list[SeriesOutcome]:
    return [run_job(job, plan) for job in jobs]


def forecast_many(
    jobs: list[SeriesJob],
    settings: ForecastSettings,
    *,
    horizon_days: int,
    folds: int,
    workers: int,
    progress: Progress | None = None,
) -> list[SeriesOutcome]:
    """Outcomes in the order of ``jobs``; ``workers`` <= 1 runs in this process; ``progress`` counts series."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    plan = _Plan(settings, horizon_days, folds)
    quiet_stan_logging()
    reporter = or_silent(progress)
    reporter.start(len(jobs), "series")
    if workers == 1 or len(jobs) <= 1:
        outcomes = []
        for job in jobs:
            outcomes.append(run_job(job, plan))
            reporter.advance()
        reporter.finish()
        return outcomes
    # chunks of a few series: fewer round trips than one per series, still balanced across workers
    size = max(1, len(jobs) // (workers * 8))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    context = multiprocessing.get_context("spawn")  # fork is unsafe under polars' and Stan's threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=quiet_stan_logging) as pool:
        outcomes = []
        for chunk in pool.map(_run_chunk, chunks, [plan] * len(chunks)):
            outcomes.extend(chunk)
            reporter.advance(len(chunk))
    reporter.finish()
    return outcomes

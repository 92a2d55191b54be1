"""Forecast one metric for every series of a task-run history: series -> parallel fits -> risk -> tables.

``forecast_at`` is the history's as-of time (its latest start/end/logical date), not the wall clock, so the same
history always gives the same table. ``forecast_for`` is midnight UTC of each target day; ``horizon`` is ``"<k>d"``
after the series' last observed day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

import numpy as np
import polars as pl

from orc_ai import defaults
from orc_ai.errors import OrcAIError
from orc_ai.forecast.backtest import BacktestPoints, score
from orc_ai.forecast.model import PROPHET, ForecastSettings
from orc_ai.forecast.parallel import SeriesJob, SeriesOutcome, forecast_many
from orc_ai.forecast.risk import assess, series_threshold, slas_for
from orc_ai.forecast.schema import FORECAST_SCHEMA, empty_forecasts
from orc_ai.forecast.series import build_daily_series, series_id
from orc_ai.progress import Progress
from orc_ai.taskruns.schema import conform_task_runs


class ForecastError(OrcAIError):
    """Too many series failed to fit; the message names the metric and the share."""


BACKTEST_SCHEMA: dict[str, pl.DataType] = {
    "dag_id": pl.String(),
    "task_id": pl.String(),
    "metric": pl.String(),
    "method": pl.String(),
    "days": pl.Int64(),
    "points": pl.Int64(),
    "mae": pl.Float64(),
    "mape": pl.Float64(),
    "wape": pl.Float64(),
    "pinball": pl.Float64(),
    "coverage": pl.Float64(),
    "error": pl.String(),
}


@dataclass(frozen=True)
class RiskRule:
    """The threshold rule's settings (defaults.py states the rule)."""

    failure_rate_threshold: float = defaults.FORECAST_FAILURE_RATE_THRESHOLD
    duration_quantile: float = defaults.FORECAST_DURATION_QUANTILE
    duration_sla_s: Mapping[str, float] = field(default_factory=dict)  # "dag.task" or "dag" -> seconds


@dataclass(frozen=True)
class ForecastRun:
    """Forecast rows (model name/version still null), per-series backtests, Prophet JSON per series id, the
    pooled backtest metrics and counts."""

    metric: str
    forecasts: pl.DataFrame
    backtests: pl.DataFrame
    history: pl.DataFrame
    models: dict[str, str]
    metrics: dict[str, float]
    counts: dict[str, int]


def _as_of(task_runs: pl.DataFrame) -> datetime | None:
    times = task_runs.select(pl.max_horizontal("start_date", "end_date", "logical_date").max()).item()
    return times.astimezone(UTC) if times is not None else None


def _jobs(series: pl.DataFrame, metric: str) -> list[SeriesJob]:
    grouped = series.group_by("dag_id", "task_id", maintain_order=True).agg("ds", "y")
    return [SeriesJob(d, t, metric, tuple(ds), tuple(y)) for d, t, ds, y in grouped.iter_rows()]


def _forecast_rows(outcome: SeriesOutcome, as_of: datetime, rule: RiskRule, width: float) -> list[dict]:
    job, fc = outcome.job, outcome.forecast
    sla = slas_for(rule.duration_sla_s, job.dag_id, job.task_id)
    threshold = series_threshold(
        job.metric,
        np.asarray(job.y),
        failure_rate_threshold=rule.failure_rate_threshold,
        duration_quantile=rule.duration_quantile,
        sla_s=sla,
    )
    rows = []
    for day, p, lo, hi in zip(fc.ds, fc.predicted, fc.lower, fc.upper, strict=True):
        at_risk, risk = assess(job.metric, p, lo, hi, threshold, interval_width=width)
        rows.append(
            {
                "dag_id": job.dag_id,
                "task_id": job.task_id,
                "metric": job.metric,
                "forecast_at": as_of,
                "forecast_for": datetime.combine(day, time(), UTC),
                "horizon": f"{(day - job.ds[-1]).days}d",
                "predicted": p,
                "lower": lo,
                "upper": hi,
                "threshold": threshold,
                "at_risk": at_risk,
                "risk": risk,
                "method": fc.method,
                "model_name": None,
                "model_version": None,
            }
        )
    return rows


def _backtest_row(outcome: SeriesOutcome, width: float) -> dict:
    job = outcome.job
    s = score(outcome.backtest, width)
    return {
        "dag_id": job.dag_id,
        "task_id": job.task_id,
        "metric": job.metric,
        "method": outcome.forecast.method,
        "days": len(job.ds),
        **{k: s[k] for k in ("mae", "mape", "wape", "pinball", "coverage")},
        "points": int(s["points"]),
        "error": outcome.forecast.error,
    }


def _pooled(outcomes: list[SeriesOutcome], width: float) -> dict[str, float]:
    pooled = BacktestPoints(
        *(tuple(v for o in outcomes for v in getattr(o.backtest, f)) for f in ("actual", "predicted", "lower", "upper"))
    )
    return {f"backtest_{k}": v for k, v in score(pooled, width).items()}


def forecast_task_runs(
    task_runs: pl.DataFrame,
    metric: str,
    *,
    settings: ForecastSettings | None = None,
    rule: RiskRule | None = None,
    horizon_days: int = defaults.FORECAST_HORIZON_DAYS,
    folds: int = defaults.FORECAST_BACKTEST_FOLDS,
    workers: int = defaults.FORECAST_WORKERS,
    progress: Progress | None = None,
) -> ForecastRun:
    """Backtest and forecast ``metric`` for every task and DAG series in an ``airflow_task_runs`` table."""
    settings, rule = settings or ForecastSettings(), rule or RiskRule()
    runs = conform_task_runs(task_runs)
    daily = build_daily_series(runs, metric)
    outcomes = forecast_many(
        _jobs(daily.frame, metric), settings, horizon_days=horizon_days, folds=folds, workers=workers,
        progress=progress,
    )
    as_of = _as_of(runs)
    rows = [r for o in outcomes for r in _forecast_rows(o, as_of, rule, settings.interval_width)]
    forecasts = pl.DataFrame(rows, schema=FORECAST_SCHEMA) if rows else empty_forecasts()
    backtests = pl.DataFrame([_backtest_row(o, settings.interval_width) for o in outcomes], schema=BACKTEST_SCHEMA)
    models = {
        series_id(o.job.dag_id, o.job.task_id): o.forecast.model_json
        for o in outcomes
        if o.forecast.model_json is not None
    }
    counts = {
        "tries": runs.height,
        "undated_tries": daily.undated_tries,
        "series": len(outcomes),
        "prophet_series": sum(o.forecast.method == PROPHET for o in outcomes),
        "fallback_series": sum(o.forecast.method != PROPHET for o in outcomes),
        "failed_fits": sum(o.forecast.error is not None for o in outcomes),
        "rows": forecasts.height,
        "at_risk_rows": int(forecasts["at_risk"].sum()) if forecasts.height else 0,
    }
    return ForecastRun(
        metric, forecasts, backtests, daily.frame, models, _pooled(outcomes, settings.interval_width), counts
    )


def stamp_model(forecasts: pl.DataFrame, model_name: str, model_version: str) -> pl.DataFrame:
    """The rows with the registered model version that made them."""
    return forecasts.with_columns(pl.lit(model_name).alias("model_name"), pl.lit(model_version).alias("model_version"))


def check_failed_fits(run: ForecastRun, max_failed_share: float) -> None:
    """Raise ForecastError when more than ``max_failed_share`` of the series' Prophet fits raised (each such series
    was forecast by the fallback and counted, so a few never fail the run)."""
    failed, total = run.counts["failed_fits"], run.counts["series"]
    if total and failed / total > max_failed_share:
        errors = run.backtests.filter(pl.col("error").is_not_null())["error"].unique().sort().head(3).to_list()
        raise ForecastError(
            f"{run.metric}: {failed} of {total} Prophet fits failed (> {max_failed_share:.0%}); first errors: {errors}"
        )

"""A forecast run as an MLflow model version: params, backtest metrics, plots and the model folder.

The model folder (the version's ``model/`` artifact) holds ``manifest.json`` (metric, settings, one entry per
series: id, dag/task, method, observed days, backtest scores, file) and ``prophet/<series id>.json`` per Prophet
series, written by ``prophet.serialize.model_to_json`` (load one with ``model_from_json``). Fallback series have no
file: their manifest entry is the whole model (recent median and quantiles of the logged history).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from orc_ai.forecast.model import ForecastSettings
from orc_ai.forecast.plots import plot_backtest_coverage, plot_forecast_bands
from orc_ai.forecast.run import ForecastRun, RiskRule, check_failed_fits, forecast_task_runs, stamp_model
from orc_ai.forecast.series import series_id
from orc_ai.mlops.records import ModelRun, RegisteredRun
from orc_ai.mlops.registry import log_and_register
from orc_ai.progress import Progress

if TYPE_CHECKING:
    from mlflow.tracking import MlflowClient

_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]")


@dataclass(frozen=True)
class PublishedForecast:
    """The forecast rows stamped with their model version, the run behind them and the registry's answer."""

    forecasts: pl.DataFrame
    run: ForecastRun
    registered: RegisteredRun


def _plain_settings(settings: ForecastSettings, rule: RiskRule, horizon_days: int, folds: int) -> dict:
    return {
        **dataclasses.asdict(settings),
        "failure_rate_threshold": rule.failure_rate_threshold,
        "duration_quantile": rule.duration_quantile,
        "duration_sla_s": dict(sorted(rule.duration_sla_s.items())),
        "horizon_days": horizon_days,
        "backtest_folds": folds,
    }


def input_hash(run: ForecastRun, params: dict) -> str:
    """sha256 of the series the models were fitted on and every setting that shaped them."""
    digest = hashlib.sha256(run.metric.encode())
    digest.update(run.history.write_csv().encode())
    digest.update(json.dumps(params, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def write_model_dir(run: ForecastRun, params: dict, folder: Path) -> Path:
    """The manifest and the Prophet JSON files under ``folder``."""
    (folder / "prophet").mkdir(parents=True, exist_ok=True)
    entries = []
    for row in run.backtests.iter_rows(named=True):
        sid = series_id(row["dag_id"], row["task_id"])
        file = None
        if sid in run.models:
            file = f"prophet/{_UNSAFE.sub('_', sid)}.json"
            (folder / file).write_text(run.models[sid])
        entries.append({"series": sid, **{k: v for k, v in row.items()}, "file": file})
    manifest = {"metric": run.metric, "settings": params, "counts": run.counts, "series": entries}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, default=str, allow_nan=True))
    return folder


def publish_forecast(
    client: MlflowClient,
    run: ForecastRun,
    *,
    model_name: str,
    experiment: str,
    promotion_metric: str,
    settings: ForecastSettings,
    rule: RiskRule,
    horizon_days: int,
    folds: int,
    artifact_root: str | None,
    plot_series: int,
) -> PublishedForecast:
    """Log ``run`` to MLflow, register it under ``model_name`` (promotion rule applied) and stamp its rows."""
    params = _plain_settings(settings, rule, horizon_days, folds)
    with tempfile.TemporaryDirectory(prefix="orc_ai_forecast_") as tmp:
        work = Path(tmp)
        backtests = work / "backtests.csv"
        run.backtests.write_csv(backtests)
        record = ModelRun(
            model_name=model_name,
            experiment=experiment,
            params={
                **{k: v for k, v in params.items() if k != "duration_sla_s"},
                "duration_sla_series": len(rule.duration_sla_s),
                "metric": run.metric,
            },
            metrics={**run.metrics, **{k: float(v) for k, v in run.counts.items()}},
            tags={"orc_ai.metric": run.metric},
            model_dir=write_model_dir(run, params, work / "model"),
            figures=[
                plot_forecast_bands(run.history, run.forecasts, work / "forecast_bands.png", top=plot_series),
                plot_backtest_coverage(run.backtests, work / "backtest_coverage.png", nominal=settings.interval_width),
            ],
            extra_artifacts=[backtests],
            promotion_metric=promotion_metric,
            input_hash=input_hash(run, params),
        )
        registered = log_and_register(client, record, artifact_root=artifact_root)
    return PublishedForecast(stamp_model(run.forecasts, model_name, registered.version), run, registered)


def forecast_and_publish(
    task_runs: pl.DataFrame,
    metric: str,
    client: MlflowClient,
    *,
    model_name: str,
    experiment: str,
    promotion_metric: str,
    artifact_root: str | None,
    settings: ForecastSettings,
    rule: RiskRule,
    horizon_days: int,
    folds: int,
    workers: int,
    max_failed_share: float,
    plot_series: int,
    progress: Progress | None = None,
) -> PublishedForecast:
    """Forecast ``metric`` for every series of ``task_runs``, fail past ``max_failed_share`` failed fits, then log
    and register the models (the promotion rule decides the champion)."""
    run = forecast_task_runs(
        task_runs, metric, settings=settings, rule=rule, horizon_days=horizon_days, folds=folds, workers=workers,
        progress=progress,
    )
    check_failed_fits(run, max_failed_share)
    return publish_forecast(
        client,
        run,
        model_name=model_name,
        experiment=experiment,
        promotion_metric=promotion_metric,
        settings=settings,
        rule=rule,
        horizon_days=horizon_days,
        folds=folds,
        artifact_root=artifact_root,
        plot_series=plot_series,
    )

"""task_duration_forecast and failure_forecast: Prophet per task and DAG series of airflow_task_runs, each fit
logged to MLflow as a registered model version (promoted to champion only when its backtest beats the champion)."""

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.assets import OPERATIONS, downstream_automation
from orc_ai.forecast.model import ForecastSettings
from orc_ai.forecast.publish import PublishedForecast, forecast_and_publish
from orc_ai.forecast.run import RiskRule
from orc_ai.forecast.schema import DURATION_FORECAST_TABLE, FAILURE_FORECAST_TABLE
from orc_ai.progress import Progress
from orc_ai.resources.mlflow import MlflowResource


class _ForecastConfig(dg.Config):
    horizon_days: int = Field(default=defaults.FORECAST_HORIZON_DAYS, description="Days forecast per series.")
    min_history_days: int = Field(
        default=defaults.FORECAST_MIN_HISTORY_DAYS, description="Observed days a series needs for Prophet."
    )
    backtest_folds: int = Field(default=defaults.FORECAST_BACKTEST_FOLDS, description="Rolling origins per series.")
    workers: int = Field(default=defaults.FORECAST_WORKERS, description="Fitting processes; 1: in the run process.")
    max_failed_share: float = Field(
        default=defaults.FORECAST_MAX_FAILED_SHARE, description="Share of failed Prophet fits that fails the asset."
    )
    plot_series: int = Field(default=defaults.FORECAST_PLOT_SERIES, description="Series in the forecast-band plot.")


class TaskDurationForecastConfig(_ForecastConfig):
    duration_quantile: float = Field(
        default=defaults.FORECAST_DURATION_QUANTILE, description="History quantile a forecast duration is held to."
    )
    duration_sla_s: dict[str, float] = Field(
        default_factory=dict, description="SLA seconds per 'dag_id.task_id' or 'dag_id'; replaces the quantile."
    )


class FailureForecastConfig(_ForecastConfig):
    failure_rate_threshold: float = Field(
        default=defaults.FORECAST_FAILURE_RATE_THRESHOLD, description="Failure rate a forecast is held to."
    )


def _forecast(
    context: dg.AssetExecutionContext,
    asset: str,
    metric: str,
    config: _ForecastConfig,
    rule: RiskRule,
    mlflow: MlflowResource,
    task_runs: pl.DataFrame,
) -> dg.Output[pl.DataFrame]:
    published = forecast_and_publish(
        task_runs,
        metric,
        mlflow.client(),
        model_name=defaults.REGISTERED_MODELS[asset],
        experiment=mlflow.experiment,
        promotion_metric=defaults.PROMOTION_METRICS[asset],
        artifact_root=mlflow.resolved_artifact_root(),
        settings=ForecastSettings(min_history_days=config.min_history_days),
        rule=rule,
        horizon_days=config.horizon_days,
        folds=config.backtest_folds,
        workers=config.workers,
        max_failed_share=config.max_failed_share,
        plot_series=config.plot_series,
        progress=Progress(asset, log=context.log.info),
    )
    return dg.Output(published.forecasts, metadata=_metadata(asset, published))


def _metadata(asset: str, published: PublishedForecast) -> dict:
    reg, metrics = published.registered, published.run.metrics
    return {
        **published.run.counts,
        "model_name": reg.model_name,
        "model_version": reg.version,
        "mlflow_run_id": reg.run_id,
        "champion_version": reg.champion_version or "",
        "promoted": reg.promotion.promoted,
        "promotion": reg.promotion.reason,
        "reused_version": reg.reused,
        "backtest_metric": defaults.PROMOTION_METRICS[asset],
        "backtest_value": float(reg.promotion.value),
        **{k: float(v) for k, v in metrics.items()},
    }


@dg.asset(name=DURATION_FORECAST_TABLE, group_name=OPERATIONS, automation_condition=downstream_automation())
def task_duration_forecast(
    context: dg.AssetExecutionContext,
    config: TaskDurationForecastConfig, mlflow: MlflowResource, airflow_task_runs: pl.DataFrame
) -> dg.Output[pl.DataFrame]:
    """Seconds per successful try, forecast per task and DAG, with 80 % intervals and SLA/p95 risk."""
    rule = RiskRule(duration_quantile=config.duration_quantile, duration_sla_s=config.duration_sla_s)
    return _forecast(context, DURATION_FORECAST_TABLE, "duration_s", config, rule, mlflow, airflow_task_runs)


@dg.asset(name=FAILURE_FORECAST_TABLE, group_name=OPERATIONS, automation_condition=downstream_automation())
def failure_forecast(
    context: dg.AssetExecutionContext,
    config: FailureForecastConfig, mlflow: MlflowResource, airflow_task_runs: pl.DataFrame
) -> dg.Output[pl.DataFrame]:
    """Share of tries that fail, forecast per task and DAG, with 80 % intervals and rate-threshold risk."""
    rule = RiskRule(failure_rate_threshold=config.failure_rate_threshold)
    return _forecast(context, FAILURE_FORECAST_TABLE, "failure_rate", config, rule, mlflow, airflow_task_runs)

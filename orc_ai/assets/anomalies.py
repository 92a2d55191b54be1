"""run_anomalies: anomalous task tries in the Airflow history (streaming, IsolationForest, Prophet intervals)."""

import json

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.anomaly.params import DetectorParams
from orc_ai.anomaly.runs import run_anomalies as find_run_anomalies
from orc_ai.assets import OPERATIONS, downstream_automation
from orc_ai.assets.model_versions import register_model_version
from orc_ai.forecast.schema import DURATION_FORECAST_TABLE
from orc_ai.mlops.model_plots import anomaly_scores_figure, to_png
from orc_ai.resources.io_manager import OPTIONAL_INPUT
from orc_ai.resources.mlflow import MlflowResource


class RunAnomaliesConfig(dg.Config):
    contamination: float = Field(
        default=defaults.RUN_ANOMALY_CONTAMINATION, description="IsolationForest's expected share of anomalous tries."
    )
    min_tries: int = Field(
        default=defaults.RUN_ANOMALY_MIN_TRIES, description="Fewest tries with a duration to fit IsolationForest."
    )
    seed: int = Field(default=defaults.RUN_ANOMALY_SEED, description="IsolationForest's random_state.")


@dg.asset(
    group_name=OPERATIONS,
    automation_condition=downstream_automation(),
    ins={DURATION_FORECAST_TABLE: dg.AssetIn(metadata={OPTIONAL_INPUT: True})},
)
def run_anomalies(
    context: dg.AssetExecutionContext, config: RunAnomaliesConfig, mlflow: MlflowResource,
    airflow_task_runs: pl.DataFrame, task_duration_forecast: pl.DataFrame | None,
) -> dg.Output[pl.DataFrame]:
    """Task tries whose duration or features are anomalous, one row per try with detectors, score and reason;
    the detectors' settings registered in MLflow as a model version."""
    found = find_run_anomalies(
        airflow_task_runs,
        detector=DetectorParams(**defaults.RUN_ANOMALY_DETECTOR),
        contamination=config.contamination,
        min_tries=config.min_tries,
        seed=config.seed,
        duration_forecast=task_duration_forecast,
    )
    tries = found.metrics["tries"]
    metrics = {**found.metrics, "scored_share": found.metrics["tries_scored"] / tries if tries else 1.0}
    context.log.info(f"run_anomalies: {metrics}")
    figure = to_png(anomaly_scores_figure(airflow_task_runs, found.table))
    version = register_model_version("run_anomalies", mlflow, found.params, metrics,
                                     {"detectors.json": json.dumps(found.params, sort_keys=True, default=str)},
                                     figures={"anomaly_scores.png": figure})
    metadata = {k: dg.MetadataValue.float(v) for k, v in metrics.items()} | version
    extra = {"params": dg.MetadataValue.json(found.params), "skipped_detectors": dg.MetadataValue.json(found.skipped)}
    return dg.Output(found.table, metadata=metadata | extra)

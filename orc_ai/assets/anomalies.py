"""run_anomalies: anomalous task tries in the Airflow history (streaming detector + IsolationForest)."""

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.anomaly.params import DetectorParams
from orc_ai.anomaly.runs import run_anomalies as find_run_anomalies
from orc_ai.assets import OPERATIONS, downstream_automation


class RunAnomaliesConfig(dg.Config):
    contamination: float = Field(
        default=defaults.RUN_ANOMALY_CONTAMINATION, description="IsolationForest's expected share of anomalous tries."
    )
    min_tries: int = Field(
        default=defaults.RUN_ANOMALY_MIN_TRIES, description="Fewest tries with a duration to fit IsolationForest."
    )
    seed: int = Field(default=defaults.RUN_ANOMALY_SEED, description="IsolationForest's random_state.")


@dg.asset(group_name=OPERATIONS, automation_condition=downstream_automation())
def run_anomalies(
    context: dg.AssetExecutionContext, config: RunAnomaliesConfig, airflow_task_runs: pl.DataFrame
) -> dg.Output[pl.DataFrame]:
    """Task tries whose duration or features are anomalous, one row per try with detectors, score and reason."""
    found = find_run_anomalies(
        airflow_task_runs,
        detector=DetectorParams(**defaults.RUN_ANOMALY_DETECTOR),
        contamination=config.contamination,
        min_tries=config.min_tries,
        seed=config.seed,
    )
    context.log.info(f"run_anomalies: {found.metrics}")
    metadata = {**{k: dg.MetadataValue.float(v) for k, v in found.metrics.items()}}
    return dg.Output(found.table, metadata=metadata | {"params": dg.MetadataValue.json(found.params)})

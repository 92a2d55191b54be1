"""synthetic_task_runs: a larger task-run history sampled from an SDV synthesizer fitted on the real one."""

import json
from collections.abc import Iterator

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.assets import OPERATIONS, downstream_automation
from orc_ai.assets.model_versions import register_model_version
from orc_ai.mlops.model_plots import synthetic_columns_figure, to_png
from orc_ai.resources.io_manager import OPTIONAL_INPUT
from orc_ai.resources.mlflow import MlflowResource
from orc_ai.synthetic.synthesize import SYNTHESIZERS, synthesize_task_runs


class SyntheticTaskRunsConfig(dg.Config):
    rows: int = Field(default=defaults.SYNTHETIC_ROWS, description="Synthetic tries to sample.")
    synthesizer: str = Field(
        default=defaults.SYNTHETIC_SYNTHESIZER,
        description=f"SDV single-table synthesizer: one of {sorted(SYNTHESIZERS)}.",
    )
    seed: int = Field(default=defaults.SYNTHETIC_SEED, description="Seeds fit and sample: same seed, same rows.")
    distribution: str = Field(
        default=defaults.SYNTHETIC_DISTRIBUTION, description="Marginal distribution family of the Gaussian copula."
    )
    epochs: int | None = Field(default=None, description="Training epochs of ctgan/tvae/copula_gan (None: SDV's).")
    min_history_tries: int = Field(
        default=defaults.SYNTHETIC_MIN_HISTORY_TRIES, description="A smaller history is too little to learn from: skip."
    )


@dg.asset(
    group_name=OPERATIONS,
    automation_condition=downstream_automation(),
    ins={"airflow_task_runs": dg.AssetIn(metadata={OPTIONAL_INPUT: True})},
    output_required=False,
)
def synthetic_task_runs(
    context: dg.AssetExecutionContext, config: SyntheticTaskRunsConfig, mlflow: MlflowResource,
    airflow_task_runs: pl.DataFrame | None,
) -> Iterator[dg.Output[pl.DataFrame]]:
    """Synthetic tries in the airflow_task_runs schema (run ids ``synthetic__…``), for load tests and demos."""
    if airflow_task_runs is None or airflow_task_runs.height < config.min_history_tries:
        rows = 0 if airflow_task_runs is None else airflow_task_runs.height
        context.log.info(f"{rows} real tries (< {config.min_history_tries}): too little to learn, nothing materialised")
        return
    made = synthesize_task_runs(
        airflow_task_runs, rows=config.rows, synthesizer=config.synthesizer, seed=config.seed,
        distribution=config.distribution, epochs=config.epochs,
    )
    figure = to_png(synthetic_columns_figure(airflow_task_runs, made.task_runs))
    version = register_model_version("synthetic_task_runs", mlflow, made.params, made.metrics,
                                     {"synthesizer.json": json.dumps(made.params, sort_keys=True, default=str)},
                                     figures={"real_vs_synthetic.png": figure})
    yield dg.Output(
        made.task_runs,
        metadata={**made.metrics, **version, "params": dg.MetadataValue.json(made.params)},
    )

"""failure_log_clusters: failure categories of the failed Airflow tries, mined from their error text."""

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.assets import OPERATIONS, downstream_automation
from orc_ai.assets.model_versions import register_model_version
from orc_ai.logs.failures import cluster_failures
from orc_ai.logs.miner import MinerParams
from orc_ai.mlops.model_plots import cluster_sizes_figure, to_png
from orc_ai.resources.mlflow import MlflowResource


class FailureLogClustersConfig(dg.Config):
    max_constant_values: int = Field(
        default=defaults.LOG_MAX_CONSTANT_VALUES,
        description="A masked position with at most this many distinct plain words splits its cluster.",
    )
    max_examples: int = Field(default=defaults.LOG_CLUSTER_EXAMPLES, description="Example tries kept per category.")


@dg.asset(group_name=OPERATIONS, automation_condition=downstream_automation())
def failure_log_clusters(
    config: FailureLogClustersConfig, mlflow: MlflowResource, airflow_task_runs: pl.DataFrame
) -> dg.Output[pl.DataFrame]:
    """Failure categories of the failed tries: template, count and example tries per category; the templates
    registered in MLflow as a model version."""
    found = cluster_failures(
        airflow_task_runs,
        params=MinerParams(max_constant_values=config.max_constant_values),
        max_examples=config.max_examples,
    )
    failed = found.metrics["failed_tries"]
    metrics = {**found.metrics,
               "categorised_share": 1 - found.metrics["tries_without_error_text"] / failed if failed else 1.0}
    templates = found.categories.select("cluster_id", "template", "count").write_json()
    version = register_model_version("failure_log_clusters", mlflow, found.params, metrics,
                                     {"templates.json": templates},
                                     figures={"cluster_sizes.png": to_png(cluster_sizes_figure(found.categories))})
    top = found.categories.head(10).select("count", "template").iter_rows()
    return dg.Output(
        found.categories,
        metadata={
            **{f"param_{k}": v for k, v in found.params.items()},
            **metrics,
            **version,
            "top_categories": dg.MetadataValue.md("\n".join(f"- {n} × `{t}`" for n, t in top) or "(none)"),
        },
    )


"""failure_log_clusters: failure categories of the failed Airflow tries, mined from their error text."""

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.assets import OPERATIONS, downstream_automation
from orc_ai.logs.failures import cluster_failures
from orc_ai.logs.miner import MinerParams


class FailureLogClustersConfig(dg.Config):
    max_constant_values: int = Field(
        default=defaults.LOG_MAX_CONSTANT_VALUES,
        description="A masked position with at most this many distinct plain words splits its cluster.",
    )
    max_examples: int = Field(default=defaults.LOG_CLUSTER_EXAMPLES, description="Example tries kept per category.")


@dg.asset(group_name=OPERATIONS, automation_condition=downstream_automation())
def failure_log_clusters(config: FailureLogClustersConfig, airflow_task_runs: pl.DataFrame) -> dg.Output[pl.DataFrame]:
    """Failure categories of the failed tries: template, count and example tries per category."""
    found = cluster_failures(
        airflow_task_runs,
        params=MinerParams(max_constant_values=config.max_constant_values),
        max_examples=config.max_examples,
    )
    top = found.categories.head(10).select("count", "template").iter_rows()
    return dg.Output(
        found.categories,
        metadata={
            **{f"param_{k}": v for k, v in found.params.items()},
            **found.metrics,
            "top_categories": dg.MetadataValue.md("\n".join(f"- {n} × `{t}`" for n, t in top) or "(none)"),
        },
    )


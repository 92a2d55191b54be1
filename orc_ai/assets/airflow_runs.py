"""airflow_task_runs: every try Airflow ran, merged from the Airflow sensor's batches (or the bundled sample)."""

from pathlib import Path

import dagster as dg
import polars as pl

from orc_ai.assets import OPERATIONS
from orc_ai.resources.airflow import AirflowResource
from orc_ai.resources.local_state import LocalStateResource
from orc_ai.taskruns.batches import batches_dir, compact_batches, load_sample_task_runs


@dg.asset(group_name=OPERATIONS, kinds={"airflow", "polars"})
def airflow_task_runs(airflow: AirflowResource, state: LocalStateResource) -> dg.Output[pl.DataFrame]:
    """One row per Airflow task try (latest observation wins); the bundled sample history when Airflow is off."""
    folder = batches_dir(Path(state.home))
    if airflow.enabled:  # the sensor's batches, folded into the compacted history as they are merged
        compaction = compact_batches(folder)
        runs, source, batches = compaction.table, "airflow_metadata_sensor batches", compaction.folded
    else:
        runs, source, batches = load_sample_task_runs(), "bundled sample history (ORC_AI_AIRFLOW_URL unset)", 0
    return dg.Output(
        runs,
        metadata={
            "source": source,
            "batches": batches,
            "tries": runs.height,
            "failed_tries": runs.filter(pl.col("state") == "failed").height,
            "dags": runs["dag_id"].n_unique(),
        },
    )

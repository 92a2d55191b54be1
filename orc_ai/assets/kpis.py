"""pipeline_kpis: success rates, MTTR, execution-time variation and forecast alert precision/recall per DAG."""

from collections.abc import Iterator
from datetime import timedelta

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.assets import OPERATIONS, downstream_automation
from orc_ai.forecast.schema import empty_forecasts
from orc_ai.kpis.pipeline import compute_pipeline_kpis
from orc_ai.resources.io_manager import OPTIONAL_INPUT


class PipelineKpisConfig(dg.Config):
    alert_window_hours: float = Field(
        default=defaults.KPI_ALERT_WINDOW_H,
        description="A failure forecast for time T is right when the series fails within [T, T + this).",
    )


@dg.asset(
    group_name=OPERATIONS,
    automation_condition=downstream_automation(),
    ins={
        "airflow_task_runs": dg.AssetIn(metadata={OPTIONAL_INPUT: True}),
        "failure_forecast": dg.AssetIn(metadata={OPTIONAL_INPUT: True}),
    },
    output_required=False,
)
def pipeline_kpis(
    context: dg.AssetExecutionContext,
    config: PipelineKpisConfig,
    airflow_task_runs: pl.DataFrame | None,
    failure_forecast: pl.DataFrame | None,
) -> Iterator[dg.Output[pl.DataFrame]]:
    """The pipeline KPIs: one row per DAG and an overall row (dag_id null)."""
    if airflow_task_runs is None:
        context.log.info("no airflow_task_runs yet: no KPIs, nothing materialised")
        return
    forecasts = empty_forecasts() if failure_forecast is None else failure_forecast
    kpis = compute_pipeline_kpis(airflow_task_runs, forecasts, window=timedelta(hours=config.alert_window_hours))
    overall = {k: dg.MetadataValue.null() if v is None else v for k, v in kpis.overall().items() if k != "dag_id"}
    yield dg.Output(
        kpis.table, metadata=overall | {"dags": kpis.table.height - 1, "pending_windows": kpis.pending_windows}
    )

"""airflow_metadata_sensor: pull the task tries Airflow changed since the last tick, persist them, request a run.

Each tick pulls only what changed (airflow_bridge.sync), writes the rows as the next batch file *before* its
cursor moves, and requests an ``airflow_task_runs`` run; downstream assets follow by automation. When Airflow is
down, answers 5xx, times out or refuses the login, the tick skips with the reason and keeps its cursor (the
client already logged in again once on a refused token).
"""

import os
from pathlib import Path

import dagster as dg

from airflow_bridge.cursor import SyncCursor
from airflow_bridge.errors import AirflowError
from airflow_bridge.sync import pull_task_runs
from orc_ai.resources.airflow import AirflowResource
from orc_ai.resources.local_state import LocalStateResource
from orc_ai.settings import airflow_sensor_settings
from orc_ai.taskruns.batches import batches_dir, write_batch

airflow_task_runs_job = dg.define_asset_job(
    "airflow_task_runs_job", selection=dg.AssetSelection.assets("airflow_task_runs")
)


def make_airflow_metadata_sensor(
    *,
    interval_s: int | None = None,
    page_size: int | None = None,
    budget_s: float | None = None,
    overlap_s: float | None = None,
    name: str = "airflow_metadata_sensor",
) -> dg.SensorDefinition:
    """The sensor with its knobs: each one given, else from its environment variable, else its default
    (``settings.airflow_sensor_settings``; tests use tiny pages and budgets to force resumes)."""
    configured = bool(os.environ.get("ORC_AI_AIRFLOW_URL"))
    given = {"interval_s": interval_s, "page_size": page_size, "budget_s": budget_s, "overlap_s": overlap_s}
    knobs = airflow_sensor_settings(**{k: v for k, v in given.items() if v is not None})
    page_size, budget_s, overlap_s = knobs.page_size, knobs.budget_s, knobs.overlap_s

    @dg.sensor(
        name=name,
        job=airflow_task_runs_job,
        minimum_interval_seconds=knobs.interval_s,
        default_status=dg.DefaultSensorStatus.RUNNING if configured else dg.DefaultSensorStatus.STOPPED,
        description="Pulls the Airflow task tries changed since the last tick into airflow_task_runs.",
    )
    def _sensor(
        context: dg.SensorEvaluationContext, airflow: AirflowResource, state: LocalStateResource
    ) -> dg.SensorResult | dg.SkipReason:
        if not airflow.enabled:
            return dg.SkipReason("Airflow is not configured: set ORC_AI_AIRFLOW_URL (and _USER, _PASSWORD)")
        cursor = SyncCursor.loads(context.cursor)
        try:
            pulled = pull_task_runs(
                airflow.client(), cursor, budget_s=budget_s, page_size=page_size, overlap_s=overlap_s
            )
        except AirflowError as exc:  # messages name the request and Airflow's detail, never a token or password
            return dg.SkipReason(f"Airflow unreachable or refused, cursor kept ({cursor.describe()}): {exc}")
        progress = f"{pulled.task_instances} changed task instance(s), {pulled.rows.height} try row(s)"
        if not pulled.finished:
            progress += "; backlog left, resuming next tick"
        if pulled.missing_logs:
            context.log.warning(f"{len(pulled.missing_logs)} failed tries without a log: {pulled.missing_logs[:5]}")
        if not pulled.changed:
            # the watermark may still move on (or a resume point): store it, request nothing
            return dg.SensorResult(cursor=pulled.cursor.dumps(), skip_reason=f"no changed tries ({progress})")
        number = pulled.cursor.batches
        path = write_batch(batches_dir(Path(state.home)), number, pulled.rows)
        context.log.info(f"batch {number}: {progress} -> {path}")
        return dg.SensorResult(
            run_requests=[dg.RunRequest(run_key=f"airflow-batch-{number}", tags={"orc_ai/airflow_batch": str(number)})],
            cursor=pulled.cursor.dumps(),
        )

    return _sensor


airflow_metadata_sensor = make_airflow_metadata_sensor()

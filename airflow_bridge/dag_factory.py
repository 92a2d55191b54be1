"""Build the Airflow DAG of one stage; Airflow is imported inside :func:`build_stage_dag`, so this module
imports without it (the DAG files in ``airflow_bridge/dags`` call it in Airflow's DAG processor).

A stage DAG has one task, ``materialize_assets``, that launches one Dagster run of the stage's assets through
the GraphQL API and waits for it (:func:`airflow_bridge.stage_runner.materialize_stage`); the run carries the
Airflow DAG, run, task and try as tags. No schedule by default: a DAG is triggered (UI, REST API, or another
DAG's ``TriggerDagRunOperator``). The five DAGs do not wait for each other: inside Dagster, assets downstream of
a materialisation are brought up to date by its declarative automation when ``dagster-daemon`` runs.
"""

from __future__ import annotations

from typing import Any

from airflow_bridge.stage_runner import TAG_DAG_ID, TAG_RUN_ID, TAG_TASK_ID, TAG_TRY, bridge_settings, materialize_stage
from airflow_bridge.stages import Stage

TASK_ID = "materialize_assets"
DAG_TAGS = ("orc_ai", "dagster_bridge")


def build_stage_dag(stage: Stage, *, dag_id: str | None = None, schedule: Any = None) -> Any:
    """The DAG ``dag_id`` (default ``<stage>_dag``) materialising ``stage``'s assets; ``schedule`` as Airflow
    takes it (None: triggered only)."""
    from airflow.sdk import Variable, dag, get_current_context, task

    @dag(
        dag_id=dag_id or stage.dag_id,
        schedule=schedule,
        catchup=False,
        description=stage.description,
        doc_md=f"Materialises the Dagster assets {', '.join(stage.assets)} in one run and waits for it.",
        tags=list(DAG_TAGS),
    )
    def stage_dag() -> None:
        @task(task_id=TASK_ID)
        def materialize_assets() -> dict:
            ti = get_current_context()["ti"]
            settings = bridge_settings(lambda key: Variable.get(key, default=None))
            tags = {TAG_DAG_ID: ti.dag_id, TAG_RUN_ID: ti.run_id, TAG_TASK_ID: ti.task_id, TAG_TRY: str(ti.try_number)}
            print(f"orc_ai bridge: materialising {', '.join(stage.assets)} in Dagster at {settings.dagster_url}")
            result = materialize_stage(stage, settings, tags=tags)
            print(f"orc_ai bridge: Dagster run {result['run_id']} ended {result['status']}")
            return result

        materialize_assets()

    return stage_dag()

"""What a bridge DAG's task does, without Airflow: materialise one stage's assets in Dagster and wait for them.

Settings come from an Airflow Variable when the task passes a lookup for them, else the environment, else
:mod:`orc_ai.defaults`: the Dagster URL (``orc_ai_dagster_url`` / ``ORC_AI_DAGSTER_URL``), the wait
(``orc_ai_dagster_run_timeout_s`` / ``ORC_AI_DAGSTER_RUN_TIMEOUT_S``) and the poll interval
(``orc_ai_dagster_poll_s`` / ``ORC_AI_DAGSTER_POLL_S``) and the executor (``orc_ai_dagster_executor`` /
``ORC_AI_DAGSTER_EXECUTOR``: ``in_process``, the default as in ``scripts/run-sample``, runs every step in one
process that loads the code location and the embedding model once; ``multiprocess`` runs steps in parallel).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from airflow_bridge.dagster_graphql import DagsterGraphQLClient
from airflow_bridge.stages import Stage
from orc_ai import defaults

# run tags that tie a Dagster run to the Airflow task try that launched it
TAG_DAG_ID, TAG_RUN_ID, TAG_TASK_ID, TAG_TRY = (
    "orc_ai/airflow_dag_id",
    "orc_ai/airflow_run_id",
    "orc_ai/airflow_task_id",
    "orc_ai/airflow_try_number",
)

EXECUTORS = ("in_process", "multiprocess")
Lookup = Callable[[str], str | None]  # an Airflow Variable (None when unset)


@dataclass(frozen=True)
class BridgeSettings:
    """Where Dagster is and how long a task waits for its run."""

    dagster_url: str = defaults.DAGSTER_URL
    run_timeout_s: float = defaults.DAGSTER_RUN_TIMEOUT_S
    poll_s: float = defaults.DAGSTER_POLL_S
    executor: str = EXECUTORS[0]

    @property
    def run_config(self) -> dict:
        return {"execution": {"config": {self.executor: {}}}}


def bridge_settings(variable: Lookup | None = None, environ: Mapping[str, str] | None = None) -> BridgeSettings:
    """Settings from ``variable`` (Airflow Variables ``orc_ai_dagster_*``), then ``environ`` (``ORC_AI_DAGSTER_*``),
    then the defaults; a value that is not a number raises ValueError naming the setting."""
    env = os.environ if environ is None else environ

    def value(name: str) -> str | None:
        found = variable(f"orc_ai_dagster_{name}") if variable else None
        return found if found not in (None, "") else env.get(f"ORC_AI_DAGSTER_{name.upper()}") or None

    def number(name: str, default: float) -> float:
        raw = value(name)
        try:
            return default if raw is None else float(raw)
        except ValueError:
            message = f"orc_ai_dagster_{name} / ORC_AI_DAGSTER_{name.upper()} must be a number, not {raw!r}"
            raise ValueError(message) from None

    executor = value("executor") or EXECUTORS[0]
    if executor not in EXECUTORS:
        raise ValueError(f"orc_ai_dagster_executor / ORC_AI_DAGSTER_EXECUTOR: one of {EXECUTORS}, not {executor!r}")
    return BridgeSettings(
        executor=executor,
        dagster_url=value("url") or defaults.DAGSTER_URL,
        run_timeout_s=number("run_timeout_s", defaults.DAGSTER_RUN_TIMEOUT_S),
        poll_s=number("poll_s", defaults.DAGSTER_POLL_S),
    )


def materialize_stage(stage: Stage, settings: BridgeSettings, *, tags: Mapping[str, str] | None = None) -> dict:
    """Launch one Dagster run of the stage's assets and wait for it; returns ``{"run_id", "status", "assets"}``.

    Raises the typed errors of :mod:`airflow_bridge.dagster_errors` (so the Airflow task fails with the run id
    and status): assets the code location lacks, a refused launch, a run that failed or ran past the wait."""
    with DagsterGraphQLClient(settings.dagster_url) as client:
        run = client.materialize(
            list(stage.assets),
            tags={"orc_ai/stage": stage.name, **(tags or {})},
            run_config=settings.run_config,
            timeout_s=settings.run_timeout_s,
            poll_s=settings.poll_s,
        )
    return {"run_id": run.run_id, "status": run.status, "assets": run.asset_keys}

"""The one Definitions object of the ORC AI code location."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg

from orc_ai import defaults, settings
from orc_ai.assets import agent, chunks, communities, documents, embeddings, entities, events, graph, reports
from orc_ai.assets import airflow_runs as airflow_run_assets
from orc_ai.assets import anomalies as anomaly_assets
from orc_ai.assets import forecasts as forecast_assets
from orc_ai.assets import kpis as kpi_assets
from orc_ai.assets import log_clusters as log_cluster_assets
from orc_ai.assets import synthetic as synthetic_assets
from orc_ai.assets import workflow as workflow_assets
from orc_ai.assets.step_resources import deployment_executor
from orc_ai.checks import agent as agent_checks
from orc_ai.checks import chunks as chunk_checks
from orc_ai.checks import documents as document_checks
from orc_ai.checks import embeddings as embedding_checks
from orc_ai.checks import entities as entity_checks
from orc_ai.checks import forecasts as forecast_checks
from orc_ai.checks import graph as graph_checks
from orc_ai.checks import reports as report_checks
from orc_ai.checks import synthetic as synthetic_checks
from orc_ai.checks import task_runs as task_run_checks
from orc_ai.errors import ConfigError
from orc_ai.resources.airflow import AirflowResource
from orc_ai.resources.documents_folder import DocumentsFolderResource
from orc_ai.resources.embedder import EmbedderResource
from orc_ai.resources.graph_store import GraphStoreResource
from orc_ai.resources.io_manager import TableIOManager
from orc_ai.resources.llm import LLMResource
from orc_ai.resources.local_state import LocalStateResource
from orc_ai.resources.mlflow import MlflowResource
from orc_ai.resources.policy import PolicyResource
from orc_ai.resources.slack import SLACK_API, SlackResource
from orc_ai.sensors.airflow import airflow_metadata_sensor, airflow_task_runs_job
from orc_ai.sensors.automation import automation_sensor
from orc_ai.sensors.documents import docs_folder_sensor, ingest_job
from orc_ai.sensors.events import agent_events_job, agent_inbox_sensor


def _env_or(name: str, default: str | None = None) -> str | dg.EnvVar | None:
    """An EnvVar when the variable is set (resolved at run time, never logged), else the default."""
    return dg.EnvVar(name) if os.environ.get(name) else default


def _env_int_or(name: str, default: int) -> int | dg.EnvVar:
    return dg.EnvVar.int(name) if os.environ.get(name) else default


def _env_float(name: str, default: float) -> float:
    """A positive number of seconds from the environment (not a secret: read when the definitions load)."""
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number of seconds") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {value}")
    return value


def build_resources() -> dict[str, object]:
    """Resources from the environment; with nothing set everything is local and offline."""
    home = settings.orc_home()
    return {
        "io_manager": TableIOManager(base_dir=str(settings.asset_dir(home))),
        "state": LocalStateResource(home=str(home)),
        "docs": DocumentsFolderResource(path=str(settings.docs_dir())),
        "graph_store": GraphStoreResource(
            backend=os.environ.get("ORC_AI_GRAPH_BACKEND", "embedded"),
            path=str(settings.graph_dir(home)),
            neo4j_uri=_env_or("ORC_AI_NEO4J_URI"),
            neo4j_user=_env_or("ORC_AI_NEO4J_USER"),
            neo4j_password=_env_or("ORC_AI_NEO4J_PASSWORD"),
            neo4j_database=_env_or("ORC_AI_NEO4J_DATABASE"),
            batch_size=_env_int_or("ORC_AI_NEO4J_BATCH_SIZE", defaults.NEO4J_BATCH_SIZE),
            write_concurrency=_env_int_or("ORC_AI_NEO4J_WRITE_CONCURRENCY", defaults.NEO4J_WRITE_CONCURRENCY),
        ),
        "embedder": EmbedderResource(
            provider=os.environ.get("ORC_AI_EMBEDDINGS_PROVIDER", "local"),
            base_url=_env_or("ORC_AI_EMBEDDINGS_BASE_URL"),
            model=os.environ.get("ORC_AI_EMBEDDINGS_MODEL", defaults.API_EMBEDDING_MODEL),
            api_key=_env_or("ORC_AI_EMBEDDINGS_API_KEY"),
        ),
        "llm": LLMResource(
            base_url=_env_or("ORC_AI_LLM_BASE_URL"),
            model=os.environ.get("ORC_AI_LLM_MODEL", ""),
            api_key=_env_or("ORC_AI_LLM_API_KEY", "unused"),
            timeout_s=_env_float("ORC_AI_LLM_TIMEOUT_S", defaults.LLM_TIMEOUT_S),
        ),
        "policy": PolicyResource(opa_url=_env_or("ORC_AI_OPA_URL")),
        "airflow": AirflowResource(
            base_url=_env_or("ORC_AI_AIRFLOW_URL"),
            username=os.environ.get("ORC_AI_AIRFLOW_USER", defaults.AIRFLOW_USER),
            password=_env_or("ORC_AI_AIRFLOW_PASSWORD"),
        ),
        "slack": SlackResource(
            token=_env_or("ORC_AI_SLACK_TOKEN", ""),
            base_url=os.environ.get("ORC_AI_SLACK_BASE_URL", SLACK_API),
            channel=os.environ.get("ORC_AI_SLACK_CHANNEL", ""),
        ),
        "mlflow": MlflowResource(home=str(home), tracking_uri=_env_or("ORC_AI_MLFLOW_TRACKING_URI")),
    }


all_assets = dg.load_assets_from_modules(
    [documents, chunks, entities, embeddings, graph, communities, events, agent, reports]
    + [airflow_run_assets, workflow_assets, forecast_assets, anomaly_assets, log_cluster_assets, synthetic_assets]
    + [kpi_assets]
)
all_checks = dg.load_asset_checks_from_modules(
    [document_checks, chunk_checks, entity_checks, embedding_checks, graph_checks, agent_checks, report_checks]
    + [task_run_checks, forecast_checks, synthetic_checks]
)
knowledge_graph_job = dg.define_asset_job("knowledge_graph", selection=dg.AssetSelection.all())

defs = dg.Definitions(
    assets=all_assets,
    asset_checks=all_checks,
    jobs=[knowledge_graph_job, ingest_job, agent_events_job, airflow_task_runs_job],
    sensors=[docs_folder_sensor, automation_sensor, agent_inbox_sensor, airflow_metadata_sensor],
    resources=build_resources(),
    executor=deployment_executor(),  # k8s_job_executor in the Helm deployment, else Dagster's default
)


@contextmanager
def open_resources() -> Iterator[Any]:
    """Every resource opened as a run opens it (environment variables resolved, never logged), for the command
    line; closed on exit."""
    resources = {k: v for k, v in build_resources().items() if k != "io_manager"}
    with dg.build_resources(resources) as opened:
        yield opened

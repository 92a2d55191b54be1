"""The seed's five pipeline stages and the Dagster assets each one materialises: the one place this mapping lives.

Each stage becomes one Airflow DAG (``<stage>_dag``, see :mod:`airflow_bridge.dag_factory`). An asset named
here that the code location does not define makes that stage's task fail before anything is launched, naming
the missing keys: a stage never runs half of its assets silently.
"""

from __future__ import annotations

from dataclasses import dataclass

# Assets a stage names before the code location defines them (none today); the mapping test allows exactly these
# to be missing from orc_ai.definitions, and fails once one lands so that it is taken off this list.
PENDING_ASSETS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Stage:
    """One stage: its name, the Dagster asset keys (``a/b`` for a prefixed key) it materialises in one run,
    and a line the DAG shows as its description."""

    name: str
    assets: tuple[str, ...]
    description: str

    @property
    def dag_id(self) -> str:
        return f"{self.name}_dag"


STAGES: tuple[Stage, ...] = (
    Stage(
        "data_ingestion",
        ("raw_docs", "quarantined_docs", "chunks"),
        "Read the documents folder (bad files quarantined) and chunk every document.",
    ),
    Stage(
        "kg_build",
        ("entities", "relations", "embeddings", "neo4j_graph", "communities"),
        "Extract entities and relations, embed the chunks, write the graph store and detect communities.",
    ),
    Stage(
        "agent_execution",
        ("agent_events", "quarantined_events", "agent_decisions"),
        "Collect the agent's events (questions, failed checks, Airflow failures) and decide on each.",
    ),
    Stage("output_delivery", ("reports",), "Render the report of the graph, the events and the decisions."),
    Stage(
        "monitoring_alerting",
        (
            "airflow_task_runs",
            "airflow_dag_tasks",
            "workflow_graph",
            "task_duration_forecast",
            "failure_forecast",
            "run_anomalies",
            "failure_log_clusters",
            "synthetic_task_runs",
            "pipeline_kpis",
        ),
        "Task-run history and DAG structure from Airflow into the graph, duration and failure forecasts, run "
        "anomalies, failure-log clusters, a synthetic history, KPIs.",
    ),
)

STAGES_BY_NAME = {stage.name: stage for stage in STAGES}


def stage(name: str) -> Stage:
    """The stage called ``name``; KeyError naming the known stages otherwise."""
    try:
        return STAGES_BY_NAME[name]
    except KeyError:
        raise KeyError(f"no stage {name!r}; the stages are {', '.join(STAGES_BY_NAME)}") from None

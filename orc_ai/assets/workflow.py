"""airflow_dag_tasks and workflow_graph: Airflow's DAG structure and run history as graph nodes linked to the
document graph's entities."""

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.assets import OPERATIONS, downstream_automation
from orc_ai.defaults import NEO4J_WRITE_POOL
from orc_ai.graph.workflow import load_workflow_graph
from orc_ai.resources.airflow import AirflowResource
from orc_ai.resources.graph_store import GraphStoreResource
from orc_ai.taskruns.dag_tasks import read_dag_tasks, sample_dag_tasks


class WorkflowGraphConfig(dg.Config):
    error_chars: int = Field(
        default=defaults.WORKFLOW_ERROR_MESSAGE_CHARS, description="Characters of a try's error a Run node keeps."
    )
    max_invalid_share: float = Field(
        default=defaults.WORKFLOW_MAX_INVALID_SHARE,
        description="Fail (the stored graph unchanged) when more of the input rows have ids Airflow would refuse.",
    )


@dg.asset(group_name=OPERATIONS, automation_condition=dg.AutomationCondition.on_cron(defaults.DAG_STRUCTURE_CRON))
def airflow_dag_tasks(airflow: AirflowResource) -> dg.Output[pl.DataFrame]:
    """Every task of every DAG with its operator and downstream task ids: from Airflow, or the bundled sample."""
    source = "airflow" if airflow.enabled else "sample"
    table = read_dag_tasks(airflow.client()) if airflow.enabled else sample_dag_tasks()
    return dg.Output(table, metadata={"source": source, "dags": table["dag_id"].n_unique(), "tasks": table.height})


@dg.asset(
    group_name=OPERATIONS, automation_condition=downstream_automation(), deps=["neo4j_graph"], pool=NEO4J_WRITE_POOL
)
def workflow_graph(
    config: WorkflowGraphConfig,
    graph_store: GraphStoreResource,
    airflow_dag_tasks: pl.DataFrame,
    airflow_task_runs: pl.DataFrame,
    entities: pl.DataFrame,
) -> dg.Output[pl.DataFrame]:
    """Dags, tasks and every try in the graph store, linked to the entities naming them; the skipped rows."""
    graph, written = load_workflow_graph(
        graph_store.get_store(),
        airflow_dag_tasks,
        airflow_task_runs,
        entities,
        error_chars=config.error_chars,
        max_invalid_share=config.max_invalid_share,
    )
    metadata = {**graph.counts(), **written.model_dump(exclude={"pruned"}), "pruned": written.pruned}
    examples = graph.skipped.head(5).to_dicts()  # the whole list is the asset's value
    return dg.Output(graph.skipped, metadata={**metadata, "skipped_examples": examples, "backend": graph_store.backend})

"""The built-in tools and ``default_registry``: what each does, its argument model and its effect class."""

from __future__ import annotations

from orc_ai.tools.airflow_actions import (
    ClearTaskArgs,
    PauseDagArgs,
    TriggerDagRunArgs,
    clear_task,
    pause_dag,
    trigger_dag_run,
)
from orc_ai.tools.graph_reads import EntityNeighbourhoodArgs, SearchGraphArgs, entity_neighbourhood, search_graph
from orc_ai.tools.messaging import NotifyArgs, notify
from orc_ai.tools.ops_reads import ForecastLookupArgs, TaskHistoryArgs, forecast_lookup, get_task_history
from orc_ai.tools.registry import ToolRegistry, ToolSpec
from orc_ai.tools.tickets import CreateTicketArgs, create_ticket

BUILTIN_TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        "search_graph",
        "Search the knowledge graph (documents, runbooks) for a query; returns ranked chunks with chunk id, "
        "document name and text, and community summaries.",
        SearchGraphArgs,
        "read",
        search_graph,
    ),
    ToolSpec(
        "entity_neighbourhood",
        "An entity (by id, name or alias) and the entities within 1-2 relation steps, with the relations "
        "between them and the chunk ids that evidence each relation.",
        EntityNeighbourhoodArgs,
        "read",
        entity_neighbourhood,
    ),
    ToolSpec(
        "get_task_history",
        "Recent Airflow tries of a DAG's task (latest first): state, dates, duration, error class and message, "
        "counts by state and the latest failure.",
        TaskHistoryArgs,
        "read",
        get_task_history,
    ),
    ToolSpec(
        "forecast_lookup",
        "The failure forecast for a DAG or task (failure probability by horizon), or 'no forecast yet'.",
        ForecastLookupArgs,
        "read",
        forecast_lookup,
    ),
    ToolSpec(
        "notify",
        "Post a message to a Slack channel, naming the chunk ids it rests on.",
        NotifyArgs,
        "notify",
        notify,
    ),
    ToolSpec(
        "create_ticket",
        "Open a ticket for people to follow up (title, body, severity, DAG/task, cited chunk ids); the same "
        "call twice opens one ticket.",
        CreateTicketArgs,
        "notify",
        create_ticket,
    ),
    ToolSpec(
        "clear_task",
        "Clear one task instance of one Airflow DAG run so the scheduler retries it.",
        ClearTaskArgs,
        "act",
        clear_task,
    ),
    ToolSpec(
        "pause_dag",
        "Pause one Airflow DAG so no new runs start.",
        PauseDagArgs,
        "act",
        pause_dag,
    ),
    ToolSpec(
        "trigger_dag_run",
        "Start a new run of one Airflow DAG, with an optional conf and logical date.",
        TriggerDagRunArgs,
        "act",
        trigger_dag_run,
    ),
)


def default_registry() -> ToolRegistry:
    """A registry of every built-in tool."""
    return ToolRegistry(BUILTIN_TOOLS)

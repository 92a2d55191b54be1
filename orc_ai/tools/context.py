"""What the tools may use during one agent run: the runner fills a ``ToolContext`` and passes it to every call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import polars as pl

from orc_ai.errors import ToolUnavailableError
from orc_ai.graph.store import GraphStore
from orc_ai.retrieve.models import RetrievalResult

if TYPE_CHECKING:
    from slack_sdk import WebClient


class Retriever(Protocol):
    """Ranked, cited context for a query (``orc_ai.retrieve``)."""

    def retrieve(self, query: str, k: int = 10, token_budget: int | None = None) -> RetrievalResult: ...


class AirflowActions(Protocol):
    """The Airflow REST API v2 calls the act tools make (``airflow_bridge.client``); each returns the JSON answer."""

    def clear_task_instances(
        self, dag_id: str, dag_run_id: str, task_ids: list[str], only_failed: bool = True, dry_run: bool = False
    ) -> dict: ...

    def set_dag_paused(self, dag_id: str, paused: bool) -> dict: ...

    def trigger_dag_run(self, dag_id: str, conf: dict | None = None, logical_date: str | None = None) -> dict: ...


@dataclass
class ToolContext:
    """Per-run handles. Any may be ``None``; a tool that needs a missing one raises ``ToolUnavailableError``
    (the runner records the call as not executed, with the error as the reason).

    ``entities``: the ``entities`` table (``entity_id``, ``name``, ``type``, ``aliases``) for resolving names.
    ``task_runs``: the ``airflow_task_runs`` table (dag_id, task_id, run_id, try_number, state, start_date,
    end_date, duration_s, error_class, error_message; ``orc_ai.taskruns.schema``). ``forecasts``: the duration and
    failure forecast tables together (``orc_ai.forecast.schema.FORECAST_SCHEMA``)."""

    retriever: Retriever | None = None
    store: GraphStore | None = None
    entities: pl.DataFrame | None = None
    slack: WebClient | None = None
    slack_channel: str | None = None
    airflow: AirflowActions | None = None
    tickets_path: Path | None = None
    task_runs: pl.DataFrame | None = None
    forecasts: pl.DataFrame | None = None

    def need(self, name: str, what: str) -> Any:
        """The handle ``name``, or ``ToolUnavailableError`` saying ``what`` is not configured."""
        value = getattr(self, name)
        if value is None:
            raise ToolUnavailableError(f"{what} not configured for this run")
        return value

"""The agent assembled from opened resources: one place for the ``agent_decisions`` asset and ``orc-ai ask``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from orc_ai.agent.llm_planner import LLMPlanner
from orc_ai.agent.planning import Planner
from orc_ai.agent.runner import AgentRunner
from orc_ai.agent.service import AgentSettings, agent_db, agent_retrieval_config, make_runner, offline_planner
from orc_ai.agent.store import DecisionStore
from orc_ai.cache import ContentCache
from orc_ai.errors import ConfigError
from orc_ai.retrieve.config import RetrievalTables
from orc_ai.retrieve.retriever import Retriever
from orc_ai.tools.context import ToolContext
from orc_ai.tools.tickets import default_tickets_path


def planner_for(name: str, llm: Any, home: Path, settings: AgentSettings) -> tuple[Planner, ContentCache | None]:
    """The offline planner, or the LLM planner (falling back to the offline one) when asked for and configured."""
    fallback = offline_planner(settings)
    if name == "offline":
        return fallback, None
    if not llm.enabled:
        raise ConfigError("planner 'llm' needs the llm resource: set ORC_AI_LLM_BASE_URL and ORC_AI_LLM_MODEL")
    cache = ContentCache(home / "cache" / "agent_llm.sqlite")
    return LLMPlanner(llm.chat_client(), llm.model, cache, fallback), cache


@contextmanager
def agent_runner(
    *, home: Path, planner: str, settings: AgentSettings, resources: Any, tables: RetrievalTables | None,
    task_runs: Any = None, forecasts: Any = None,
) -> Iterator[AgentRunner]:
    """A runner over the opened ``resources`` (graph_store, embedder, llm, policy, airflow, slack); without
    ``tables`` it has no retriever (enough to run calls a person approved)."""
    store = resources.graph_store.get_store()
    retriever = None
    if tables is not None:
        retriever = Retriever.build(store, resources.embedder.get_embedder(), tables, agent_retrieval_config())
    slack = resources.slack.web_client() if resources.slack.enabled else None
    context = ToolContext(
        retriever=retriever, store=store, entities=tables.entities if tables is not None else None, slack=slack,
        slack_channel=resources.slack.channel or settings.channel,
        airflow=resources.airflow.client() if resources.airflow.enabled else None,
        tickets_path=default_tickets_path(), task_runs=task_runs, forecasts=forecasts,
    )
    chosen, cache = planner_for(planner, resources.llm, home, settings)
    with DecisionStore(agent_db(home)) as decisions:
        try:
            yield make_runner(planner=chosen, retriever=retriever, store=decisions, pdp=resources.policy,
                              tool_context=context, settings=settings)
        finally:
            if cache is not None:
                cache.close()

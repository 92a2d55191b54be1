"""agent_decisions: the agent decides every event against the graph, each tool call authorised and recorded."""

from pathlib import Path
from typing import Literal

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.agent.service import AgentSettings, decide_all
from orc_ai.agent.table import decisions_to_frame
from orc_ai.assets import AGENT, downstream_automation
from orc_ai.assets.agent_session import agent_runner
from orc_ai.assets.step_resources import LLM_STEP_TAGS
from orc_ai.defaults import NEO4J_WRITE_POOL
from orc_ai.events.table import events_from_frame
from orc_ai.forecast.schema import forecast_table
from orc_ai.resources.io_manager import OPTIONAL_INPUT
from orc_ai.retrieve.config import RetrievalTables


class AgentConfig(dg.Config):
    planner: Literal["offline", "llm"] = Field(default="offline", description="llm: the llm resource, validated, "
                                               "falling back to the offline planner.")
    max_steps: int = Field(default=defaults.AGENT_MAX_STEPS, description="Tool calls per event at most.")
    context_k: int = Field(default=defaults.AGENT_CONTEXT_K, description="Context items retrieved per event.")
    context_tokens: int = Field(default=defaults.AGENT_CONTEXT_TOKENS, description="Token budget of the context.")


@dg.asset(
    group_name=AGENT, automation_condition=downstream_automation(),
    ins={name: dg.AssetIn(metadata={OPTIONAL_INPUT: True})
         for name in ("airflow_task_runs", "task_duration_forecast", "failure_forecast")},
    required_resource_keys={"graph_store", "embedder", "llm", "policy", "airflow", "slack", "state"},
    pool=NEO4J_WRITE_POOL, op_tags=LLM_STEP_TAGS,
)
def agent_decisions(
    context: dg.AssetExecutionContext, config: AgentConfig, agent_events: pl.DataFrame, raw_docs: pl.DataFrame,
    chunks: pl.DataFrame, entities: pl.DataFrame, relations: pl.DataFrame, communities: pl.DataFrame,
    airflow_task_runs: pl.DataFrame | None, task_duration_forecast: pl.DataFrame | None,
    failure_forecast: pl.DataFrame | None,
) -> dg.Output[pl.DataFrame]:
    """One decision per event and planner version (kept across runs: re-materialising neither duplicates nor
    re-acts), with its citations, tool calls and policy results; written to the graph as Decision nodes."""
    settings = AgentSettings(max_steps=config.max_steps, context_k=config.context_k,
                             context_tokens=config.context_tokens)
    tables = RetrievalTables(raw_docs, chunks, entities, relations, communities)
    resources = context.resources
    with agent_runner(home=Path(resources.state.home), planner=config.planner, settings=settings,
                      resources=resources, tables=tables, task_runs=airflow_task_runs,
                      forecasts=forecast_table(task_duration_forecast, failure_forecast)) as runner:
        decisions = decide_all(runner, events_from_frame(agent_events))
    frame = decisions_to_frame(decisions)
    store = resources.graph_store.get_store()
    written = store.upsert_decisions(frame)
    pruned = store.prune({"decisions": set(frame["decision_id"])})["decisions"]
    return dg.Output(frame, metadata=decision_metadata(frame) | {"graph_links": str(written), "pruned": pruned})


def decision_metadata(frame: pl.DataFrame) -> dict:
    by = {c: dict(frame.group_by(c).len().sort(c).rows()) if frame.height else {} for c in ("status", "event_type")}
    return {"decisions": frame.height, "by_status": by["status"], "by_event_type": by["event_type"],
            "executed_calls": int(frame["executed_calls"].sum() or 0)}

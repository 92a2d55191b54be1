"""Decisions that cite Airflow tries, over the workflow-graph tests' inputs, and what a fresh load of both holds."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from orc_ai.graph.links import dump_tables
from orc_ai.graph.models import GraphDump
from orc_ai.taskruns.schema import run_key
from orc_ai_tests.graph.workflow_tables import Inputs, expected_tables, load_all

ABSENT_RUN = run_key("no_such_dag", "manual__2026-11-30", "t", -1, 1)


def run_keys(inputs: Inputs, task_id: str) -> list[str]:
    """The keys of ``task_id``'s tries in the history, as the agent's run citations name them."""
    runs = inputs.task_runs.filter(pl.col("task_id") == task_id).sort("run_id", "try_number")
    return [run_key(*row) for row in runs.select("dag_id", "run_id", "task_id", "map_index", "try_number").rows()]


def decisions_citing_runs(inputs: Inputs) -> pl.DataFrame:
    """Three decisions: one citing load_to_snowflake's four tries, one citing index_docs's and load_graph's first
    tries, and one citing a try no workflow graph holds; each cites a chunk too."""
    chunks = inputs.graph["chunks"]["chunk_id"].to_list()
    cited = [
        run_keys(inputs, "load_to_snowflake"),
        run_keys(inputs, "index_docs")[:1] + run_keys(inputs, "load_graph")[:1],
        [ABSENT_RUN],
    ]
    return pl.DataFrame(
        [
            {
                "decision_id": f"dec{i}",
                "event_id": f"airflow_task_failure:{i}",
                "event_type": "airflow_task_failure",
                "status": "decided",
                "decision": f"decision {i}",
                "planner_version": "offline-1",
                "created_at": datetime(2026, 12, 1, 9, i, tzinfo=UTC),
                "cited_chunk_ids": [chunks[i]],
                "about_entity_ids": [],
                "cited_run_keys": keys,
            }
            for i, keys in enumerate(cited)
        ],
        schema_overrides={"about_entity_ids": pl.List(pl.String)},
    )


def expected(inputs: Inputs, decisions: pl.DataFrame) -> GraphDump:
    return dump_tables({**expected_tables(inputs), "decisions": decisions})


def run_links(dump: GraphDump) -> set[tuple[str, str]]:
    return {(r.source, r.target) for r in dump.relationships if r.type == "CITES" and r.target.startswith("Run:")}


def load_with_decisions(store, inputs: Inputs, decisions: pl.DataFrame):
    """The document and workflow graphs, then the decisions (pruning decisions that are gone)."""
    load_all(store, inputs)
    written = store.upsert_decisions(decisions)
    store.prune({"decisions": set(decisions["decision_id"].to_list())})
    return written

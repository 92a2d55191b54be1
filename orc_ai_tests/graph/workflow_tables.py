"""Small, real workflow inputs for the workflow-graph tests: two DAGs, their tries, and a document graph whose
entities name some of their DAGs and tasks; and the upstream changes a re-run meets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import polars as pl

from orc_ai.graph.workflow import build_workflow_graph, load_workflow_graph
from orc_ai.taskruns.schema import TASK_RUNS_SCHEMA, conform_task_runs
from orc_ai_tests.graph.graph_tables import Tables, base_tables, load, with_embeddings

# kg_build_dag: extract_docs >> [chunk_docs, index_docs], chunk_docs >> load_graph >> notify
# data_ingestion_dag: pull_invoices >> load_to_snowflake >> notify ("notify" is in both DAGs)
STRUCTURE = {
    "kg_build_dag": {
        "extract_docs": ("PythonOperator", ["chunk_docs", "index_docs"]),
        "chunk_docs": ("PythonOperator", ["load_graph"]),
        "index_docs": ("BashOperator", []),
        "load_graph": ("PythonOperator", ["notify"]),
        "notify": ("EmptyOperator", []),
    },
    "data_ingestion_dag": {
        "pull_invoices": ("HttpOperator", ["load_to_snowflake"]),
        "load_to_snowflake": ("SnowflakeOperator", ["notify"]),
        "notify": ("EmptyOperator", []),
    },
}
# entity index -> (name, aliases): what the documents call the DAGs and tasks
NAMES = {
    0: ("kg_build_dag", []),  # the DAG, by its id
    1: ("entity 1", ["Chunk-Docs"]),  # chunk_docs, unique across DAGs: its bare id names it
    2: ("data ingestion dag.notify", []),  # the qualified name of one of the two notify tasks
    3: ("notify", []),  # a bare name two DAGs' tasks share: names neither
    5: ("Load To Snowflake", ["the snowflake loader"]),
}
LONG_ERROR = "SnowflakeError: warehouse LOAD_WH is suspended; " + "x" * 900


def dag_tasks(structure: dict = STRUCTURE) -> pl.DataFrame:
    rows = [
        {"dag_id": dag, "task_id": task, "operator": op, "downstream_task_ids": down}
        for dag, tasks in structure.items()
        for task, (op, down) in tasks.items()
    ]
    return pl.DataFrame(rows, schema_overrides={"downstream_task_ids": pl.List(pl.String)})


def task_runs() -> pl.DataFrame:
    """Three daily runs of each DAG; load_to_snowflake fails once then succeeds on its retry on day 2."""
    rows = []
    start = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    for day in range(3):
        for dag, tasks in STRUCTURE.items():
            run_id = f"scheduled__2026-11-{28 + day}T02:00:00+00:00"
            for i, task in enumerate(tasks):
                tries = [("failed", LONG_ERROR), ("success", None)] if (task, day) == ("load_to_snowflake", 1) else []
                for n, (state, error) in enumerate(tries or [("success", None)], start=1):
                    began = start + timedelta(days=day, minutes=5 * i + 2 * (n - 1))
                    rows.append(
                        {
                            "dag_id": dag,
                            "run_id": run_id,
                            "task_id": task,
                            "map_index": -1,
                            "try_number": n,
                            "state": state,
                            "logical_date": start + timedelta(days=day),
                            "start_date": began,
                            "end_date": began + timedelta(seconds=30 + i),
                            "duration_s": 30.0 + i,
                            "error_class": error.split(":")[0] if error else None,
                            "error_message": error,
                        }
                    )
    return conform_task_runs(pl.DataFrame(rows, schema_overrides={k: TASK_RUNS_SCHEMA[k] for k in rows[0]}))


def named_graph(names: dict = NAMES) -> Tables:
    """The graph tests' document graph with some entities renamed after DAGs and tasks."""
    tables = base_tables()
    entities = tables["entities"]
    ids = entities["entity_id"].to_list()
    mapping = {ids[i]: name for i, (name, _) in names.items()}
    aliases = {ids[i]: a for i, (_, a) in names.items()}
    entities = entities.with_columns(
        pl.col("entity_id").replace_strict(mapping, default=pl.col("name")).alias("name"),
        pl.struct("entity_id", "aliases")
        .map_elements(lambda r: aliases.get(r["entity_id"], r["aliases"]), return_dtype=pl.List(pl.String))
        .alias("aliases"),
    )
    return {**tables, "entities": entities}


@dataclass(frozen=True)
class Inputs:
    graph: Tables
    dag_tasks: pl.DataFrame
    task_runs: pl.DataFrame


def base_inputs() -> Inputs:
    return Inputs(named_graph(), dag_tasks(), task_runs())


def load_all(store, inputs: Inputs):
    """The document graph, then the workflow graph over it (as neo4j_graph then workflow_graph run)."""
    load(store, inputs.graph)
    return load_workflow_graph(store, inputs.dag_tasks, inputs.task_runs, inputs.graph["entities"])


def expected_tables(inputs: Inputs) -> Tables:
    """What a fresh load of ``inputs`` holds, as tables for ``dump_tables``."""
    from orc_ai_tests.graph.graph_tables import communities_of

    graph = build_workflow_graph(inputs.dag_tasks, inputs.task_runs, inputs.graph["entities"])
    return {
        **inputs.graph,
        "communities": communities_of(inputs.graph),
        "dags": graph.dags,
        "tasks": graph.tasks,
        "runs": graph.runs,
    }


def removed_task(inputs: Inputs) -> Inputs:
    """index_docs is gone from kg_build_dag (its tries stay in the history) and chunk_docs no longer feeds
    load_graph: extract_docs feeds it directly."""
    structure = {**STRUCTURE, "kg_build_dag": dict(STRUCTURE["kg_build_dag"])}
    kg = structure["kg_build_dag"]
    del kg["index_docs"]
    kg["extract_docs"] = ("PythonOperator", ["chunk_docs", "load_graph"])
    kg["chunk_docs"] = ("PythonOperator", [])
    return replace(inputs, dag_tasks=dag_tasks(structure))


def changed_try(inputs: Inputs) -> Inputs:
    """A try Airflow marked failed after the fact, with an error; another try lost its end (cleared)."""
    runs = inputs.task_runs
    first = runs.filter(pl.col("task_id") == "load_graph").row(0, named=True)
    second = runs.filter(pl.col("task_id") == "pull_invoices").row(0, named=True)

    def is_(row: dict) -> pl.Expr:
        return (pl.col("run_id") == row["run_id"]) & (pl.col("task_id") == row["task_id"])

    runs = runs.with_columns(
        pl.when(is_(first)).then(pl.lit("failed")).otherwise("state").alias("state"),
        pl.when(is_(first)).then(pl.lit("GraphStoreError")).otherwise("error_class").alias("error_class"),
        pl.when(is_(first))
        .then(pl.lit("GraphStoreError: Neo4j down"))
        .otherwise("error_message")
        .alias("error_message"),
        pl.when(is_(second)).then(None).otherwise("end_date").alias("end_date"),
        pl.when(is_(second)).then(None).otherwise("duration_s").alias("duration_s"),
    )
    return replace(inputs, task_runs=runs)


def removed_dag(inputs: Inputs) -> Inputs:
    """data_ingestion_dag was deleted from Airflow, and its history with it."""
    return replace(
        inputs,
        dag_tasks=inputs.dag_tasks.filter(pl.col("dag_id") != "data_ingestion_dag"),
        task_runs=inputs.task_runs.filter(pl.col("dag_id") != "data_ingestion_dag"),
    )


def renamed_entity(inputs: Inputs) -> Inputs:
    """The runbook now calls the loader by its qualified name, and entity 0 no longer names the DAG."""
    names = {**NAMES, 0: ("knowledge graph build", []), 4: ("data_ingestion_dag.load_to_snowflake", [])}
    del names[5]
    return replace(inputs, graph=named_graph(names))


def removed_entity(inputs: Inputs) -> Inputs:
    """The document graph lost the entity that named kg_build_dag (pruned by neo4j_graph)."""
    graph = inputs.graph
    gone = graph["entities"]["entity_id"][0]
    entities = graph["entities"].filter(pl.col("entity_id") != gone)
    relations = graph["relations"].filter((pl.col("source_id") != gone) & (pl.col("target_id") != gone))
    return replace(inputs, graph=with_embeddings({**graph, "entities": entities, "relations": relations}))


CHANGES: dict[str, Callable[[Inputs], Inputs]] = {
    "removed_task": removed_task,
    "changed_try": changed_try,
    "removed_dag": removed_dag,
    "renamed_entity": renamed_entity,
    "removed_entity": removed_entity,
}

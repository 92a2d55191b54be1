"""The workflow graph in both stores: DAG structure, one Run per try, links to the entities that name a DAG or a
task, a re-load after any upstream change equal to a fresh load, a task's context, and bad input."""

from __future__ import annotations

import polars as pl
import pytest

from orc_ai.errors import GraphStoreError, WorkflowInputError
from orc_ai.graph.links import dump_tables
from orc_ai.graph.models import GraphDump, WorkflowWrite
from orc_ai.graph.workflow import build_workflow_graph, load_workflow_graph, normalise_name
from orc_ai_tests.graph.graph_tables import load
from orc_ai_tests.graph.workflow_tables import (
    CHANGES,
    LONG_ERROR,
    Inputs,
    base_inputs,
    expected_tables,
    load_all,
)

KG = "kg_build_dag"
INGEST = "data_ingestion_dag"


def _rels(dump: GraphDump, kind: str) -> set[tuple[str, str]]:
    return {(r.source, r.target) for r in dump.relationships if r.type == kind}


def _entity(inputs: Inputs, index: int) -> str:
    return "Entity:" + inputs.graph["entities"]["entity_id"][index]


def test_names_normalise_to_their_words() -> None:
    assert normalise_name("kg_build_dag") == normalise_name("KG-Build  DAG") == "kg build dag"
    assert normalise_name("data_ingestion_dag.notify") == "data ingestion dag notify"
    assert normalise_name("__") == "" and normalise_name(None) == ""


def test_structure_runs_and_entity_links(new_store) -> None:
    inputs = base_inputs()
    store = new_store()
    graph, written = load_all(store, inputs)
    assert graph.skipped.is_empty()
    assert written == WorkflowWrite(
        dags=2,
        tasks=8,
        runs=25,
        contains=8,
        depends_on=6,
        has_run=25,
        named_in=4,
        pruned=dict.fromkeys(["dags", "tasks", "runs"], 0),
    )
    dump = store.dump()
    assert dump == dump_tables(expected_tables(inputs))
    # downstream DEPENDS_ON upstream: extract_docs >> chunk_docs is chunk_docs -> extract_docs
    assert (f"Task:{KG}/chunk_docs", f"Task:{KG}/extract_docs") in _rels(dump, "DEPENDS_ON")
    assert (f"Task:{KG}/extract_docs", f"Task:{KG}/chunk_docs") not in _rels(dump, "DEPENDS_ON")
    assert (f"Dag:{INGEST}", f"Task:{INGEST}/notify") in _rels(dump, "CONTAINS")
    # the DAG by its id, chunk_docs by an alias of its bare id, one notify by its qualified name, the loader by
    # a differently written name; the bare "notify" (two DAGs have one) names no task
    assert _rels(dump, "NAMED_IN") == {
        (f"Dag:{KG}", _entity(inputs, 0)),
        (f"Task:{KG}/chunk_docs", _entity(inputs, 1)),
        (f"Task:{INGEST}/notify", _entity(inputs, 2)),
        (f"Task:{INGEST}/load_to_snowflake", _entity(inputs, 5)),
    }
    failed = next(n for n in dump.nodes if n.key.endswith("load_to_snowflake/-1/1") and "11-29" in n.key)
    assert failed.labels == ["Run"] and failed.properties == {
        "run_key": f"{INGEST}/scheduled__2026-11-29T02:00:00+00:00/load_to_snowflake/-1/1",
        "dag_id": INGEST,
        "run_id": "scheduled__2026-11-29T02:00:00+00:00",
        "task_id": "load_to_snowflake",
        "map_index": -1,
        "try_number": 1,
        "state": "failed",
        "logical_date": "2026-11-29T02:00:00.000000Z",
        "start_date": "2026-11-29T02:05:00.000000Z",
        "end_date": "2026-11-29T02:05:31.000000Z",
        "duration_s": 31.0,
        "error_class": "SnowflakeError",
        "error_message": LONG_ERROR[:500],
    }
    assert (f"Task:{INGEST}/load_to_snowflake", failed.key) in _rels(dump, "HAS_RUN")


def test_an_entity_typed_task_is_no_workflow_task(new_store) -> None:
    inputs = base_inputs()
    entities = inputs.graph["entities"].with_columns(pl.lit("Task").alias("type"))
    inputs = Inputs({**inputs.graph, "entities": entities}, inputs.dag_tasks, inputs.task_runs)
    store = new_store()
    load_all(store, inputs)
    dump = store.dump()
    assert dump == dump_tables(expected_tables(inputs))
    assert {n.key.split(":")[0] for n in dump.nodes if "Task" in n.labels} == {"Task"}
    assert sum("Task" in n.labels for n in dump.nodes) == 8


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_reload_after_an_upstream_change_equals_a_fresh_load(new_store, change: str) -> None:
    before, after = base_inputs(), CHANGES[change](base_inputs())
    store = new_store()
    load_all(store, before)
    _, written = load_all(store, after)
    reloaded = store.dump()
    fresh_store = new_store()  # the Neo4j fixture wipes the one database: compare with the expected tables
    fresh = dump_tables(expected_tables(after))
    assert reloaded == fresh, f"{change}: {reloaded.counts()} vs {fresh.counts()}"
    assert reloaded != dump_tables(expected_tables(before))
    load_all(fresh_store, after)
    assert fresh_store.dump() == fresh
    if change == "removed_dag":
        assert written.pruned == {"dags": 1, "tasks": 3, "runs": 10}
    if change == "removed_task":
        assert written.pruned == {"dags": 0, "tasks": 1, "runs": 3}


def test_a_pruned_entity_loses_its_links_until_the_workflow_is_written_again(new_store) -> None:
    inputs = base_inputs()
    store = new_store()
    load_all(store, inputs)
    gone = CHANGES["removed_entity"](inputs)
    load(store, gone.graph)  # neo4j_graph ran; workflow_graph has not yet
    assert (f"Dag:{KG}", _entity(inputs, 0)) not in _rels(store.dump(), "NAMED_IN")
    load(store, inputs.graph)  # the entity is back: its link is not, until workflow_graph runs
    assert (f"Dag:{KG}", _entity(inputs, 0)) not in _rels(store.dump(), "NAMED_IN")
    load_workflow_graph(store, inputs.dag_tasks, inputs.task_runs, inputs.graph["entities"])
    assert store.dump() == dump_tables(expected_tables(inputs))


def test_links_to_entities_not_in_the_graph_are_counted_not_made(new_store) -> None:
    inputs = base_inputs()
    store = new_store()
    load(store, CHANGES["removed_entity"](inputs).graph)
    _, written = load_workflow_graph(store, inputs.dag_tasks, inputs.task_runs, inputs.graph["entities"])
    assert (written.named_in, written.missing_entities) == (3, 1)


def test_task_context_has_the_task_its_runs_and_the_runbook_chunks(new_store) -> None:
    inputs = base_inputs()
    store = new_store()
    load_all(store, inputs)
    context = store.task_context(INGEST, "load_to_snowflake", runs=3, chunks=1)
    assert (context.operator, context.upstream_task_ids, context.downstream_task_ids) == (
        "SnowflakeOperator",
        ["pull_invoices"],
        ["notify"],
    )
    assert [(r["run_id"][11:21], r["try_number"], r["state"]) for r in context.runs] == [
        ("2026-11-30", 1, "success"),
        ("2026-11-29", 2, "success"),
        ("2026-11-29", 1, "failed"),
    ]
    assert context.runs[2]["error_class"] == "SnowflakeError" and "end_date" in context.runs[2]
    entity = inputs.graph["entities"].row(5, named=True)
    chunks = inputs.graph["chunks"].filter(pl.col("chunk_id").is_in(entity["chunk_ids"])).sort("doc_id", "chunk_index")
    [linked] = context.entities
    assert (linked.entity_id, linked.name, linked.named_by) == (entity["entity_id"], "Load To Snowflake", ["Task"])
    assert linked.chunks == chunks.head(1).select("chunk_id", "doc_id", "text").to_dicts()
    # a task whose DAG is named in the documents gets the DAG's entity too
    kg = store.task_context(KG, "chunk_docs")
    assert sorted((e.name, tuple(e.named_by)) for e in kg.entities) == [
        ("entity 1", ("Task",)),
        ("kg_build_dag", ("Dag",)),
    ]
    assert (kg.upstream_task_ids, kg.downstream_task_ids) == (["extract_docs"], ["load_graph"])
    assert len(kg.runs) == 3 and len(kg.entities[0].chunks) >= 1
    assert store.task_context(KG, "no_such_task") is None


def test_bad_rows_are_skipped_with_their_reason() -> None:
    inputs = base_inputs()
    bad_tasks = pl.concat(
        [
            inputs.dag_tasks,
            pl.DataFrame(
                {
                    "dag_id": [KG, KG, "bad dag", KG],
                    "task_id": ["bad/task", "publish", "t", "extract_docs"],
                    "operator": ["PythonOperator", "PythonOperator", None, "BashOperator"],
                    "downstream_task_ids": [[], ["no_such_task", "publish"], [], []],
                }
            ),
        ]
    )
    runs = inputs.task_runs
    odd = runs.head(2).with_columns(
        pl.Series("run_id", ["manual run 1", "manual__1"]), pl.Series("task_id", ["extract_docs", "gone_task"])
    )
    graph = build_workflow_graph(bad_tasks, pl.concat([runs, odd]), inputs.graph["entities"])
    reasons = {(k, key): reason for k, key, reason in graph.skipped.iter_rows()}
    assert reasons[("task", f"{KG}/bad/task")].startswith("invalid task_id: must be one concrete id")
    assert reasons[("task", "bad dag/t")].startswith("invalid dag_id")
    assert reasons[("task", f"{KG}/extract_docs")] == "repeated task row: the first is kept"
    assert reasons[("dependency", f"{KG}/publish -> no_such_task")] == f"downstream id names no task of {KG}"
    assert reasons[("dependency", f"{KG}/publish -> publish")] == f"a task cannot depend on itself of {KG}"
    run_reasons = sorted(r for k, _, r in graph.skipped.iter_rows() if k == "run")
    assert run_reasons[0].startswith("invalid run_id") and run_reasons[1] == "task not in airflow_dag_tasks"
    assert len(reasons) == 7
    # the good rows are all there: the first extract_docs row (PythonOperator), publish, every valid try
    tasks = graph.tasks.filter(pl.col("dag_id") == KG)
    assert (
        tasks.height == 6 and tasks.filter(pl.col("task_id") == "extract_docs")["operator"].item() == "PythonOperator"
    )
    assert graph.runs.height == runs.height


def test_too_many_invalid_rows_fail_and_leave_the_store_unchanged(new_store) -> None:
    inputs = base_inputs()
    store = new_store()
    load_all(store, inputs)
    before = store.dump()
    broken = inputs.dag_tasks.with_columns(pl.format("{} !", "task_id").alias("task_id"))
    with pytest.raises(WorkflowInputError, match="invalid ids"):
        load_workflow_graph(store, broken, inputs.task_runs, inputs.graph["entities"])
    assert store.dump() == before


def test_inputs_missing_key_columns_or_repeated_keys_raise() -> None:
    inputs = base_inputs()
    with pytest.raises(ValueError, match="downstream_task_ids"):
        build_workflow_graph(inputs.dag_tasks.drop("downstream_task_ids"), inputs.task_runs, inputs.graph["entities"])
    with pytest.raises(ValueError, match="try_number"):
        build_workflow_graph(inputs.dag_tasks, inputs.task_runs.drop("try_number"), inputs.graph["entities"])
    graph = build_workflow_graph(inputs.dag_tasks, inputs.task_runs, inputs.graph["entities"])
    graph.tasks = pl.concat([graph.tasks, graph.tasks.head(1)])
    from orc_ai.graph.workflow import workflow_rows

    with pytest.raises(GraphStoreError, match="duplicate or null task_key"):
        workflow_rows(graph)

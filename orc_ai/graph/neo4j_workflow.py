"""The Neo4j store's workflow graph: one transaction replaces it, and a task's context is read back."""

from __future__ import annotations

from typing import Any

import polars as pl
from neo4j import Driver
from neo4j.exceptions import Neo4jError

from orc_ai import defaults
from orc_ai.errors import GraphStoreError
from orc_ai.graph import cypher, workflow_cypher
from orc_ai.graph.models import LinkedEntity, TaskContext, WorkflowWrite
from orc_ai.graph.neo4j_batches import batches
from orc_ai.graph.schema import NODE_KEYS, NODE_PROPERTIES
from orc_ai.graph.workflow import WorkflowGraph, workflow_rows


def _links(frame: pl.DataFrame, key: str, column: str) -> pl.DataFrame:
    return (
        frame.select(pl.col(key).alias("source"), pl.col(column).alias("target"))
        .explode("target")
        .drop_nulls()
        .unique()
        .sort("source", "target")
    )


class Neo4jWorkflow:
    """Workflow side of ``Neo4jGraphStore`` (which provides the driver, database and batch size)."""

    driver: Driver
    database: str | None
    batch_size: int

    def _read(self, query: str, **params: Any) -> list[dict]: ...  # provided by Neo4jReads

    def write_workflow(self, graph: WorkflowGraph) -> WorkflowWrite:
        """Replace the workflow graph in one transaction: a failure leaves the old one whole. Decisions that cite
        a try link to its Run node (a pruned run takes its links)."""
        rows = workflow_rows(graph)
        named = [
            (label, _links(rows[t], NODE_KEYS[label], "entity_ids"))
            for t, label in (("dags", "Dag"), ("tasks", "Task"))
        ]
        statements = [
            (workflow_cypher.UPSERT_DAGS, rows["dags"].select("dag_id")),
            (workflow_cypher.UPSERT_TASKS, rows["tasks"].select(NODE_PROPERTIES["Task"])),
            (workflow_cypher.LINK_DEPENDS_ON, _links(rows["tasks"], "task_key", "upstream_keys")),
            *((workflow_cypher.link_named_in(label), links) for label, links in named),
            (workflow_cypher.UPSERT_RUNS, rows["runs"]),
        ]
        size = max(1, self.batch_size)
        prepared = [
            (cypher.columnar(query, frame.columns), batch)
            for query, frame in statements
            if frame.height
            for batch in batches(frame, size)
        ]
        keep = {
            label: rows[t][NODE_KEYS[label]].to_list()
            for t, label in (("dags", "Dag"), ("tasks", "Task"), ("runs", "Run"))
        }

        def work(tx) -> tuple[dict[str, int], dict[str, int]]:
            pruned = {}
            for label in ("Run", "Task", "Dag"):
                query = workflow_cypher.prune_missing(label)
                pruned[f"{label.lower()}s"] = tx.run(query, keys=keep[label]).single()["n"]
            tx.run(workflow_cypher.UNLINK_DEPENDS_AND_NAMES).consume()
            for query, batch in prepared:
                tx.run(query, rows=batch).consume()
            tx.run(cypher.link_remembered("CITES", "Run")).consume()  # decisions citing tries written now
            return pruned, tx.run(workflow_cypher.COUNTS).single().data()

        try:
            with self.driver.session(database=self.database) as session:
                pruned, counts = session.execute_write(work)
        except Neo4jError as exc:
            raise GraphStoreError(f"Neo4j rejected the workflow graph; kept the old one: {exc}") from exc
        requested = sum(links.height for _, links in named)
        return WorkflowWrite(**counts, missing_entities=requested - counts["named_in"], pruned=pruned)

    def task_context(
        self,
        dag_id: str,
        task_id: str,
        runs: int = defaults.TASK_CONTEXT_RUNS,
        chunks: int = defaults.TASK_CONTEXT_CHUNKS,
    ) -> TaskContext | None:
        """The task, its DAG's and its own linked entities with their first chunks, neighbours and recent runs."""
        key = f"{dag_id}/{task_id}"
        found = self._read(workflow_cypher.TASK, key=key)
        if not found:
            return None
        task = found[0]
        run_rows = self._read(workflow_cypher.TASK_RUNS, key=key, limit=int(runs))
        entity_rows = self._read(workflow_cypher.TASK_ENTITIES, key=key, dag_id=dag_id, chunks=int(chunks))
        return TaskContext(
            task_key=key,
            dag_id=dag_id,
            task_id=task_id,
            operator=task["operator"],
            upstream_task_ids=sorted(task["upstream"]),
            downstream_task_ids=sorted(task["downstream"]),
            runs=[dict(r["run"]) for r in run_rows],
            entities=[LinkedEntity(**{**r, "named_by": sorted(r["named_by"])}) for r in entity_rows],
        )

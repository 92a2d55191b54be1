"""The workflow graph held as tables (the embedded store's ``dags``, ``tasks`` and ``runs``): its links, its part
of the canonical dump, and a task's context, as the Neo4j store answers them for the same rows.

A link is made only where both ends exist; NAMED_IN lists are cut to the entities present when written (and when
entities are pruned), as Neo4j's ``MATCH ... MERGE`` and ``DETACH DELETE`` do.
"""

from __future__ import annotations

import polars as pl

from orc_ai.graph.models import DumpNode, DumpRelationship, LinkedEntity, TaskContext, WorkflowWrite
from orc_ai.graph.schema import NODE_PROPERTIES

WORKFLOW_TABLES = {"dags": ("Dag", "dag_id"), "tasks": ("Task", "task_key"), "runs": ("Run", "run_key")}


def _pairs(frame: pl.DataFrame | None, source: str, target: str, explode: bool = False) -> pl.DataFrame:
    if frame is None or not frame.height:
        return pl.DataFrame(schema={"source": pl.String, "target": pl.String})
    pairs = frame.select(pl.col(source).alias("source"), pl.col(target).alias("target"))
    return (pairs.explode("target") if explode else pairs).drop_nulls().unique().sort("source", "target")


def _ids(frame: pl.DataFrame | None, key: str) -> pl.Series:
    return pl.Series([], dtype=pl.String) if frame is None else frame[key]


def workflow_links(tables: dict[str, pl.DataFrame | None]) -> list[tuple[str, str, str, pl.DataFrame]]:
    """(type, source label, target label, ``source``/``target`` id pairs) of every workflow link whose ends exist."""
    dags, tasks, runs = (tables.get(t) for t in WORKFLOW_TABLES)
    entity_ids = _ids(tables.get("entities"), "entity_id").implode()
    task_keys, dag_ids = _ids(tasks, "task_key").implode(), _ids(dags, "dag_id").implode()
    links = [
        ("CONTAINS", "Dag", "Task", _pairs(tasks, "dag_id", "task_key").filter(pl.col("source").is_in(dag_ids))),
        ("DEPENDS_ON", "Task", "Task", _pairs(tasks, "task_key", "upstream_keys", explode=True)),
        ("HAS_RUN", "Task", "Run", _pairs(runs, "task_key", "run_key")),
        ("NAMED_IN", "Dag", "Entity", _pairs(dags, "dag_id", "entity_ids", explode=True)),
        ("NAMED_IN", "Task", "Entity", _pairs(tasks, "task_key", "entity_ids", explode=True)),
    ]
    keys = {"Dag": dag_ids, "Task": task_keys, "Run": _ids(runs, "run_key").implode(), "Entity": entity_ids}
    return [
        (kind, s, t, pairs.filter(pl.col("source").is_in(keys[s]) & pl.col("target").is_in(keys[t])))
        for kind, s, t, pairs in links
    ]


def workflow_dump(tables: dict[str, pl.DataFrame | None]) -> tuple[list[DumpNode], list[DumpRelationship]]:
    """The workflow nodes and links of ``tables`` as the canonical dump writes them."""
    nodes = []
    for table, (label, key) in WORKFLOW_TABLES.items():
        if (frame := tables.get(table)) is None:
            continue
        for row in frame.select(NODE_PROPERTIES[label]).iter_rows(named=True):
            properties = {k: v for k, v in row.items() if v is not None}
            nodes.append(DumpNode(key=f"{label}:{row[key]}", labels=[label], properties=properties))
    rels = [
        DumpRelationship(type=kind, source=f"{s}:{a}", target=f"{t}:{b}", properties={})
        for kind, s, t, pairs in workflow_links(tables)
        for a, b in pairs.iter_rows()
    ]
    return nodes, rels


def recent_runs(runs: pl.DataFrame, limit: int) -> list[dict]:
    """Run properties, most recent start first, never-started tries last; null properties left out."""
    ordered = runs.sort("start_date", "run_key", descending=True, nulls_last=True).head(limit)
    return [
        {k: v for k, v in row.items() if v is not None} for row in ordered.select(NODE_PROPERTIES["Run"]).to_dicts()
    ]


def task_context_of_tables(
    tables: dict[str, pl.DataFrame | None], dag_id: str, task_id: str, runs: int, chunks: int
) -> TaskContext | None:
    """The context of one task from the store's tables; None when there is no such task."""
    tasks = tables.get("tasks")
    key = f"{dag_id}/{task_id}"
    if tasks is None or (row := tasks.filter(pl.col("task_key") == key)).is_empty():
        return None
    task = row.row(0, named=True)
    links = {(kind, s): pairs for kind, s, _, pairs in workflow_links(tables)}
    depends = links[("DEPENDS_ON", "Task")]
    named = pl.concat(
        [
            links[("NAMED_IN", "Dag")].filter(pl.col("source") == dag_id).with_columns(pl.lit("Dag").alias("by")),
            links[("NAMED_IN", "Task")].filter(pl.col("source") == key).with_columns(pl.lit("Task").alias("by")),
        ]
    )
    run_rows = tables["runs"] if tables.get("runs") is not None else pl.DataFrame(schema={"task_key": pl.String})
    task_runs = run_rows.filter(pl.col("task_key") == key) if run_rows.height else run_rows
    return TaskContext(
        task_key=key,
        dag_id=dag_id,
        task_id=task_id,
        operator=task["operator"],
        upstream_task_ids=sorted(k.split("/", 1)[1] for k in depends.filter(pl.col("source") == key)["target"]),
        downstream_task_ids=sorted(k.split("/", 1)[1] for k in depends.filter(pl.col("target") == key)["source"]),
        runs=recent_runs(task_runs, runs) if task_runs.height else [],
        entities=_entities(tables, named, chunks),
    )


def _entities(tables: dict[str, pl.DataFrame | None], named: pl.DataFrame, limit: int) -> list[LinkedEntity]:
    entities, chunk_rows = tables.get("entities"), tables.get("chunks")
    if entities is None or named.is_empty():
        return []
    by = named.group_by("target").agg(pl.col("by").unique().sort())
    out = []
    for entity in entities.join(by, left_on="entity_id", right_on="target").sort("entity_id").iter_rows(named=True):
        cited = []
        if chunk_rows is not None and chunk_rows.height:
            mentioned = chunk_rows.filter(pl.col("chunk_id").is_in(entity["chunk_ids"] or []))
            cited = mentioned.sort("doc_id", "chunk_index").head(limit).select("chunk_id", "doc_id", "text").to_dicts()
        out.append(
            LinkedEntity(
                entity_id=entity["entity_id"],
                name=entity["name"],
                type=entity.get("type"),
                named_by=entity["by"],
                chunks=cited,
            )
        )
    return out


def workflow_write(
    tables: dict[str, pl.DataFrame | None], requested_named_in: int, pruned: dict[str, int]
) -> WorkflowWrite:
    """The ``WorkflowWrite`` of a store holding ``tables``, after writing ``requested_named_in`` NAMED_IN links."""
    counts = {kind: 0 for kind in ("CONTAINS", "DEPENDS_ON", "HAS_RUN", "NAMED_IN")}
    for kind, _, _, pairs in workflow_links(tables):
        counts[kind] += pairs.height
    heights = {t: (f.height if (f := tables.get(t)) is not None else 0) for t in WORKFLOW_TABLES}
    return WorkflowWrite(
        **heights,
        **{kind.lower(): n for kind, n in counts.items()},
        missing_entities=requested_named_in - counts["NAMED_IN"],
        pruned=pruned,
    )

"""The graph that loading the pipeline's tables yields: nodes, their links and the canonical dump of both.

A link is made only where both ends exist, as the Neo4j store's ``MATCH ... MERGE`` writes do and its
``DETACH DELETE`` prunes keep true; the embedded store derives its links, stats and dump from here.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from orc_ai.graph.decisions import decision_links, decision_rows
from orc_ai.graph.models import DumpNode, DumpRelationship, GraphDump, GraphStats
from orc_ai.graph.schema import DECISION_LINKS, NODE_KEYS, NODE_PROPERTIES, RELATION_PROPERTIES, type_label
from orc_ai.graph.workflow_tables import workflow_dump

TABLE_LABELS = {
    "documents": "Document",
    "chunks": "Chunk",
    "entities": "Entity",
    "communities": "Community",
    "decisions": "Decision",
}


@dataclass
class Links:
    """Each link kind as a two-column frame (``source``, ``target`` ids); ``relations`` keeps its whole rows."""

    has_chunk: pl.DataFrame
    next_chunk: pl.DataFrame
    mentions: pl.DataFrame
    relations: pl.DataFrame
    in_community: pl.DataFrame
    parent: pl.DataFrame
    cites: pl.DataFrame
    about: pl.DataFrame
    cites_runs: pl.DataFrame


def _ids(frame: pl.DataFrame | None, key: str) -> pl.DataFrame:
    if frame is None or key not in frame.columns:
        return pl.DataFrame(schema={"id": pl.String})
    return frame.select(pl.col(key).alias("id")).unique()


def _pairs(frame: pl.DataFrame, source: str, target: str) -> pl.DataFrame:
    return frame.select(pl.col(source).alias("source"), pl.col(target).alias("target")).drop_nulls().unique()


def _empty_pairs() -> pl.DataFrame:
    return pl.DataFrame(schema={"source": pl.String, "target": pl.String})


def graph_links(tables: dict[str, pl.DataFrame | None]) -> Links:
    """Links of ``tables`` (``documents``, ``chunks``, ``entities``, ``relations``, ``communities``,
    ``decisions``, ``runs``; any may be ``None``) between nodes that exist."""
    docs, chunks = _ids(tables.get("documents"), "doc_id"), tables.get("chunks")
    entities, communities = tables.get("entities"), tables.get("communities")
    chunk_ids, entity_ids = _ids(chunks, "chunk_id"), _ids(entities, "entity_id")
    community_ids = _ids(communities, "community_id")
    has_chunk = next_chunk = mentions = in_community = parent = _empty_pairs()
    if chunks is not None and chunks.height:
        has_chunk = _pairs(chunks, "doc_id", "chunk_id").join(docs, left_on="source", right_on="id", how="semi")
        ordered = chunks.sort("doc_id", "chunk_index")
        nxt = ordered.with_columns(pl.col("chunk_id").shift(-1).over("doc_id").alias("next"))
        next_chunk = _pairs(nxt, "chunk_id", "next")
    if entities is not None and entities.height and "chunk_ids" in entities.columns:
        exploded = entities.select("entity_id", "chunk_ids").explode("chunk_ids")
        mentions = _pairs(exploded, "chunk_ids", "entity_id").join(
            chunk_ids, left_on="source", right_on="id", how="semi"
        )
    relations = tables.get("relations")
    if relations is None or not relations.height:
        relations = pl.DataFrame(schema={"relation_id": pl.String, "source_id": pl.String, "target_id": pl.String})
    else:
        relations = relations.join(entity_ids, left_on="source_id", right_on="id", how="semi").join(
            entity_ids, left_on="target_id", right_on="id", how="semi"
        )
    if communities is not None and communities.height:
        members = communities.select("community_id", "entity_ids").explode("entity_ids")
        in_community = _pairs(members, "entity_ids", "community_id").join(
            entity_ids, left_on="source", right_on="id", how="semi"
        )
        if "parent_id" in communities.columns:
            parent = _pairs(communities, "community_id", "parent_id").join(
                community_ids, left_on="target", right_on="id", how="semi"
            )
    targets = {"Chunk": chunk_ids, "Entity": entity_ids, "Run": _ids(tables.get("runs"), "run_key")}
    decided = _decision_links(tables.get("decisions"), targets)
    return Links(
        has_chunk,
        next_chunk,
        mentions,
        relations,
        in_community,
        parent,
        cites=decided[("CITES", "Chunk")],
        about=decided[("ABOUT", "Entity")],
        cites_runs=decided[("CITES", "Run")],
    )


def _decision_links(
    decisions: pl.DataFrame | None, targets: dict[str, pl.DataFrame]
) -> dict[tuple[str, str], pl.DataFrame]:
    """Each decision link kind's pairs, by (type, target label), whose target exists."""
    if decisions is None or not decisions.height:
        return {(link.rel_type, link.label): _empty_pairs() for link in DECISION_LINKS}
    rows = decision_rows(decisions)
    return {
        (link.rel_type, link.label): decision_links(rows, link.column)
        .rename({"decision_id": "source"})
        .join(targets[link.label], left_on="target", right_on="id", how="semi")
        for link in DECISION_LINKS
    }


def table_stats(tables: dict[str, pl.DataFrame | None]) -> GraphStats:
    """The ``GraphStats`` a store holding exactly ``tables`` reports."""
    links = graph_links(tables)
    height = {t: (f.height if (f := tables.get(t)) is not None else 0) for t in TABLE_LABELS}
    entities = tables.get("entities")
    types = [] if entities is None or not entities.height else entities["type"].to_list()
    labels = [label for t in types if t is not None and (label := type_label(t))]
    relation_types = links.relations["type"].to_list() if "type" in links.relations.columns else []
    return GraphStats(
        **height,
        relations=links.relations.height,
        mentions=links.mentions.height,
        next_chunk=links.next_chunk.height,
        in_community=links.in_community.height,
        has_chunk=links.has_chunk.height,
        parent=links.parent.height,
        cites=links.cites.height,
        about=links.about.height,
        cites_runs=links.cites_runs.height,
        relation_types=_tally(relation_types),
        type_labels=_tally(labels),
    )


def _tally(values: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for value in values:
        out[value] = out.get(value, 0) + 1
    return dict(sorted(out.items()))


def _properties(row: dict, names: tuple[str, ...]) -> dict:
    return {name: row[name] for name in names if row.get(name) is not None}


def _nodes(label: str, frame: pl.DataFrame | None) -> list[DumpNode]:
    if frame is None:
        return []
    key, names = NODE_KEYS[label], NODE_PROPERTIES[label]
    present = [c for c in frame.columns if c in names]
    nodes = []
    for row in frame.select(present).iter_rows(named=True):
        labels = [label]
        if label == "Entity" and row.get("type") is not None and (extra := type_label(row["type"])):
            labels.append(extra)
        nodes.append(DumpNode(key=f"{label}:{row[key]}", labels=sorted(labels), properties=_properties(row, names)))
    return nodes


def _links(kind: str, frame: pl.DataFrame, source_label: str, target_label: str) -> list[DumpRelationship]:
    return [
        DumpRelationship(type=kind, source=f"{source_label}:{s}", target=f"{target_label}:{t}", properties={})
        for s, t in frame.select("source", "target").iter_rows()
    ]


def dump_tables(tables: dict[str, pl.DataFrame | None]) -> GraphDump:
    """The canonical dump of the graph a fresh load of ``tables`` (and the workflow tables: ``dags``, ``tasks``,
    ``runs``, see ``workflow_tables``) yields."""
    if (decisions := tables.get("decisions")) is not None:
        tables = {**tables, "decisions": decision_rows(decisions)}
    nodes = [node for table, label in TABLE_LABELS.items() for node in _nodes(label, tables.get(table))]
    links = graph_links(tables)
    rels = (
        _links("HAS_CHUNK", links.has_chunk, "Document", "Chunk")
        + _links("NEXT_CHUNK", links.next_chunk, "Chunk", "Chunk")
        + _links("MENTIONS", links.mentions, "Chunk", "Entity")
        + _links("IN_COMMUNITY", links.in_community, "Entity", "Community")
        + _links("PARENT", links.parent, "Community", "Community")
        + _links("CITES", links.cites, "Decision", "Chunk")
        + _links("ABOUT", links.about, "Decision", "Entity")
        + _links("CITES", links.cites_runs, "Decision", "Run")
    )
    present = [c for c in links.relations.columns if c in RELATION_PROPERTIES]
    for row in links.relations.select("source_id", "target_id", "type", *present).iter_rows(named=True):
        rels.append(
            DumpRelationship(
                type=row["type"],
                source=f"Entity:{row['source_id']}",
                target=f"Entity:{row['target_id']}",
                properties=_properties(row, RELATION_PROPERTIES),
            )
        )
    workflow_nodes, workflow_rels = workflow_dump(tables)
    return GraphDump.of(nodes + workflow_nodes, rels + workflow_rels)

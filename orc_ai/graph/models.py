"""Shapes every GraphStore returns, so the agent sees the same thing from any backend."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

# clustering treats a relation's weight as at least this (a zero or negative weight would drop or invert the edge)
MIN_EDGE_WEIGHT = 1e-9


class SearchHit(BaseModel):
    id: str
    score: float = Field(description="Cosine similarity, higher is closer.")


class GraphStats(BaseModel):
    documents: int = 0
    chunks: int = 0
    entities: int = 0
    relations: int = 0
    communities: int = 0
    mentions: int = Field(default=0, description="Chunk-MENTIONS->Entity links.")
    next_chunk: int = Field(default=0, description="Chunk-NEXT_CHUNK->Chunk links.")
    in_community: int = 0
    has_chunk: int = Field(default=0, description="Document-HAS_CHUNK->Chunk links.")
    parent: int = Field(default=0, description="Community-PARENT->Community links.")
    decisions: int = Field(default=0, description="The agent's Decision nodes.")
    cites: int = Field(default=0, description="Decision-CITES->Chunk links.")
    about: int = Field(default=0, description="Decision-ABOUT->Entity links.")
    cites_runs: int = Field(default=0, description="Decision-CITES->Run links (Airflow tries).")
    relation_types: dict[str, int] = Field(default_factory=dict, description="Entity relations by type.")
    type_labels: dict[str, int] = Field(default_factory=dict, description="Entities by type label.")


class DecisionWrite(BaseModel):
    """What ``upsert_decisions`` wrote: decisions and links, and the links skipped because their target is not in
    the graph (a chunk or entity pruned since the decision cited it, a try not in the workflow graph)."""

    decisions: int = 0
    cites: int = 0
    about: int = 0
    missing_chunks: int = 0
    missing_entities: int = 0
    cites_runs: int = Field(default=0, description="Decision-CITES->Run links made now.")
    missing_runs: int = Field(
        default=0, description="Cited tries with no Run node now; linked when the workflow graph writes them."
    )


class Neighbourhood(BaseModel):
    """Entities within k hops of the seeds, the relations between them and their evidence chunks."""

    entity_ids: list[str]
    relations: list[dict]
    evidence_chunk_ids: list[str]


class DumpNode(BaseModel):
    key: str = Field(description="Core label and id, e.g. 'Chunk:0123abcd...'.")
    labels: list[str] = Field(description="Sorted.")
    properties: dict[str, Any] = Field(description="Every property but vectors and derived index text.")


class DumpRelationship(BaseModel):
    type: str
    source: str = Field(description="Key of the start node.")
    target: str = Field(description="Key of the end node.")
    properties: dict[str, Any]


class GraphDump(BaseModel):
    """A store's whole graph in canonical order, so two stores (or two load histories) compare with ``==``."""

    nodes: list[DumpNode]
    relationships: list[DumpRelationship]

    @classmethod
    def of(cls, nodes: list[DumpNode], relationships: list[DumpRelationship]) -> GraphDump:
        """Sorted: nodes by key, relationships by type, endpoints and properties."""
        rel_order = sorted(
            relationships, key=lambda r: (r.type, r.source, r.target, repr(sorted(r.properties.items())))
        )
        return cls(nodes=sorted(nodes, key=lambda n: n.key), relationships=rel_order)

    def counts(self) -> dict[str, int]:
        """Nodes by label and relationships by type, e.g. for a test's failure message."""
        out: dict[str, int] = {}
        for node in self.nodes:
            for label in node.labels:
                out[label] = out.get(label, 0) + 1
        for rel in self.relationships:
            out[rel.type] = out.get(rel.type, 0) + 1
        return dict(sorted(out.items()))


class WorkflowWrite(BaseModel):
    """What ``write_workflow`` left in the store: workflow nodes and links, NAMED_IN links skipped because their
    entity is not in the graph, and the nodes pruned because they are gone from the input."""

    dags: int = 0
    tasks: int = 0
    runs: int = 0
    contains: int = 0
    depends_on: int = 0
    has_run: int = 0
    named_in: int = 0
    missing_entities: int = 0
    pruned: dict[str, int] = Field(default_factory=dict, description="dags, tasks, runs removed.")


class LinkedEntity(BaseModel):
    """A document-graph entity that names a task or its DAG, with the chunks that mention it."""

    entity_id: str
    name: str
    type: str | None = None
    named_by: list[str] = Field(description="'Dag', 'Task' or both: which node's NAMED_IN reaches it.")
    chunks: list[dict] = Field(description="chunk_id, doc_id, text of the first chunks (document order).")


class TaskContext(BaseModel):
    """A task's neighbourhood for citations: the Task, its DAG, neighbours, recent Runs and linked entities."""

    task_key: str
    dag_id: str
    task_id: str
    operator: str | None = None
    upstream_task_ids: list[str] = Field(description="Tasks this one DEPENDS_ON.")
    downstream_task_ids: list[str] = Field(description="Tasks that DEPEND_ON this one.")
    runs: list[dict] = Field(description="Run properties, most recent start first (never-started tries last).")
    entities: list[LinkedEntity]

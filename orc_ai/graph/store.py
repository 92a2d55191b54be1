"""The ``GraphStore`` interface every backend implements (embedded files now, Neo4j next)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np
import polars as pl

from orc_ai.errors import InvalidGraphNameError
from orc_ai.graph.models import (
    DecisionWrite,
    GraphDump,
    GraphStats,
    Neighbourhood,
    SearchHit,
    TaskContext,
    WorkflowWrite,
)

if TYPE_CHECKING:
    from orc_ai.graph.workflow import WorkflowGraph

VectorKind = Literal["chunk", "entity"]
_GRAPH_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")


def is_graph_name(name: object) -> bool:
    """True when ``name`` may be used as a label or relationship type."""
    return isinstance(name, str) and bool(_GRAPH_NAME.match(name))


def validate_graph_name(name: str) -> str:
    """A label or relationship type taken from data, checked against an allow-list pattern before use."""
    if not is_graph_name(name):
        raise InvalidGraphNameError(
            f"{name!r} is not a valid label or relationship type "
            f"(letters, digits, underscore; starts with a letter; at most 64)"
        )
    return name


class GraphStore(Protocol):
    """Upserts keyed by id, pruning, vector search, k-hop neighbourhoods, communities and stats.

    An upserted row replaces everything the store holds for its id (properties, type label, MENTIONS, HAS_CHUNK,
    NEXT_CHUNK), so upserting every table then pruning what is gone equals a fresh load (see ``dump``)."""

    def ensure_schema(self) -> None: ...

    def upsert_documents(self, documents: pl.DataFrame) -> int: ...

    def upsert_chunks(self, chunks: pl.DataFrame) -> int:
        """Rows with a ``vector`` column; also maintains HAS_CHUNK and NEXT_CHUNK."""
        ...

    def upsert_entities(self, entities: pl.DataFrame) -> int:
        """Rows with a ``vector`` column and ``chunk_ids`` (MENTIONS)."""
        ...

    def upsert_relations(self, relations: pl.DataFrame) -> int: ...

    def prune(self, keep: dict[str, set[str]]) -> dict[str, int]:
        """Delete documents/chunks/entities/relations/decisions whose ids are not in ``keep[kind]``; a pruned
        chunk or entity takes its links with it (decisions' CITES and ABOUT included)."""
        ...

    def upsert_decisions(self, decisions: pl.DataFrame) -> DecisionWrite:
        """The agent's decisions (``decision_id``, ``event_id``, ``event_type``, ``status``, ``decision``,
        ``planner_version``, ``created_at``, ``cited_chunk_ids``, ``about_entity_ids``, optional ``cited_run_keys``)
        as ``(:Decision)`` nodes with ``CITES`` chunks and runs and ``ABOUT`` entities; each row replaces its
        decision's links, and links to ids not in the graph are skipped and counted (see ``graph.decisions``)."""
        ...

    def write_workflow(self, graph: WorkflowGraph) -> WorkflowWrite:
        """Replace the workflow graph (Dag, Task, Run nodes; CONTAINS, DEPENDS_ON, HAS_RUN, NAMED_IN) with
        ``graph``: nodes gone from it are pruned, each node's links replaced, NAMED_IN only to entities that exist
        (see ``graph.workflow``); decisions that cite a try written now link to its Run."""
        ...

    def task_context(self, dag_id: str, task_id: str, runs: int = 10, chunks: int = 5) -> TaskContext | None:
        """A task, its neighbours, its ``runs`` latest Runs and the entities it or its DAG is NAMED_IN, each with
        its first ``chunks`` chunks; None when the store has no such task."""
        ...

    def write_communities(self, communities: pl.DataFrame) -> int:
        """Replace all communities (IN_COMMUNITY and PARENT links included) atomically: a failure leaves the old."""
        ...

    def vector_search(self, kind: VectorKind, vector: np.ndarray, k: int = 10) -> list[SearchHit]: ...

    def fulltext_search(self, kind: VectorKind, query: str, k: int = 10) -> list[SearchHit]: ...

    def neighbourhood(self, entity_ids: list[str], hops: int = 1, limit: int = 200) -> Neighbourhood: ...

    def communities_of(self, entity_id: str) -> list[dict]: ...

    def entity_edges(self) -> pl.DataFrame:
        """``source_id``, ``target_id``, ``weight`` of every entity relation, for clustering."""
        ...

    def leiden_levels(self, seed: int = 42, resolution: float = 1.0) -> pl.DataFrame:
        """Leiden inside the database: ``entity_id`` and ``community_ids`` (finest to coarsest level); raises
        ``GraphStoreError`` where the store cannot run it."""
        ...

    def stats(self) -> GraphStats: ...

    def dump(self) -> GraphDump:
        """The whole graph in canonical order, vectors left out; equal for equal graphs in either store."""
        ...

"""Embedded GraphStore: parquet node/edge tables and usearch vector indexes under one folder, no server."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import polars as pl

from orc_ai import defaults
from orc_ai.errors import GraphStoreError
from orc_ai.graph.decisions import decision_rows
from orc_ai.graph.links import dump_tables, table_stats
from orc_ai.graph.models import (
    DecisionWrite,
    GraphDump,
    GraphStats,
    Neighbourhood,
    SearchHit,
    TaskContext,
    WorkflowWrite,
)
from orc_ai.graph.schema import DECISION_LINKS
from orc_ai.graph.store import VectorKind, validate_graph_name
from orc_ai.graph.vector_index import VectorIndex
from orc_ai.graph.workflow import WorkflowGraph, workflow_rows
from orc_ai.graph.workflow_tables import WORKFLOW_TABLES, task_context_of_tables, workflow_write

_TABLE_IDS = {
    "documents": "doc_id",
    "chunks": "chunk_id",
    "entities": "entity_id",
    "relations": "relation_id",
    "communities": "community_id",
    "decisions": "decision_id",
    "dags": "dag_id",
    "tasks": "task_key",
    "runs": "run_key",
}
_KIND_TABLE = {"chunk": "chunks", "entity": "entities"}


class EmbeddedGraphStore:
    """A graph in files: ``<root>/<table>.parquet`` plus ``<root>/<kind>.usearch``. Links are derived from the
    tables (``links.graph_links``): an entity's MENTIONS are its ``chunk_ids``, a community's members its
    ``entity_ids``, so replacing a row replaces its links. Each table is replaced whole by an atomic rename."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._indexes: dict[str, VectorIndex] = {}

    # -- files -------------------------------------------------------------------------------------------
    def _path(self, table: str) -> Path:
        return self.root / f"{table}.parquet"

    def _read(self, table: str) -> pl.DataFrame | None:
        path = self._path(table)
        return pl.read_parquet(path) if path.exists() else None

    def _write(self, table: str, frame: pl.DataFrame) -> None:
        tmp = self._path(table).with_suffix(".tmp")
        frame.sort(_TABLE_IDS[table]).write_parquet(tmp)
        os.replace(tmp, self._path(table))

    def _upsert(self, table: str, rows: pl.DataFrame) -> pl.DataFrame:
        """Replace rows by id; the table takes the new rows' columns (older rows get nulls for new columns). An id
        twice in ``rows`` keeps its last row, as Neo4j's MERGE ... SET over the batch does."""
        key = _TABLE_IDS[table]
        rows = rows.unique(subset=key, keep="last", maintain_order=True)
        current = self._read(table)
        if current is not None and current.height:
            kept = current.join(rows.select(key), on=key, how="anti")
            kept = kept.select(
                pl.col(c) if c in kept.columns else pl.lit(None, dtype=dtype).alias(c)
                for c, dtype in rows.schema.items()
            ).cast(dict(rows.schema), strict=False)
            rows = pl.concat([kept, rows], how="vertical_relaxed")
        self._write(table, rows)
        return rows

    def _index(self, kind: VectorKind, dim: int | None = None) -> VectorIndex | None:
        if kind not in self._indexes:
            table = self._read(_KIND_TABLE[kind])
            if table is None or "vector" not in table.columns:
                if dim is None:
                    return None
                self._indexes[kind] = VectorIndex(self.root / f"{kind}.usearch", dim)
            else:
                index = VectorIndex(self.root / f"{kind}.usearch", table.schema["vector"].size)
                table = table.drop_nulls("vector")  # rows whose vector another dimension voided
                ids = table[_TABLE_IDS[_KIND_TABLE[kind]]].to_list()
                if len(index) != len(ids):
                    index.rebuild(ids, table["vector"].to_numpy())
                    index.save()
                index.set_ids(ids)
                self._indexes[kind] = index
        return self._indexes[kind]

    # -- writes ------------------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)

    def upsert_documents(self, documents: pl.DataFrame) -> int:
        self._upsert("documents", documents)
        return documents.height

    def _void_other_dimension(self, kind: VectorKind, vector_type: pl.DataType) -> pl.DataFrame | None:
        """The stored table; where its vectors have another dimension than ``vector_type`` (the embedding model
        changed), they are voided and the index dropped, to be rebuilt from the new vectors (as the Neo4j store
        rebuilds its vector index). Rows not upserted again stay unsearchable until they are."""
        table = _KIND_TABLE[kind]
        current = self._read(table)
        if current is None or "vector" not in current.columns or current.schema["vector"] == vector_type:
            return current
        current = current.with_columns(pl.lit(None, dtype=vector_type).alias("vector"))
        self._write(table, current)
        self._indexes.pop(kind, None)
        (self.root / f"{kind}.usearch").unlink(missing_ok=True)
        return current

    def _upsert_with_vectors(self, kind: VectorKind, rows: pl.DataFrame) -> int:
        table, key = _KIND_TABLE[kind], _TABLE_IDS[_KIND_TABLE[kind]]
        rows = rows.unique(subset=key, keep="last", maintain_order=True)
        current = self._void_other_dimension(kind, rows.schema["vector"]) if rows.height else self._read(table)
        index = self._index(kind, rows.schema["vector"].size) if rows.height else None
        changed = rows
        if current is not None and current.height and rows.height and len(index) == current.height:
            # re-index only new ids and changed vectors: an HNSW insert is the expensive part of a re-run
            existing = rows.select(key, "vector").join(current.select(key, pl.col("vector").alias("old")), on=key)
            same = (existing["vector"].to_numpy() == existing["old"].to_numpy()).all(axis=1)
            unchanged = existing.filter(pl.Series(same))[key]
            changed = rows.filter(~pl.col(key).is_in(unchanged.implode()))
        self._upsert(table, rows)
        if changed.height:
            index.upsert(changed[key].to_list(), changed["vector"].to_numpy())
            index.save()
        return rows.height

    def upsert_chunks(self, chunks: pl.DataFrame) -> int:
        return self._upsert_with_vectors("chunk", chunks)

    def upsert_entities(self, entities: pl.DataFrame) -> int:
        for type_ in entities["type"].unique().to_list():
            validate_graph_name(type_)
        return self._upsert_with_vectors("entity", entities)

    def upsert_relations(self, relations: pl.DataFrame) -> int:
        for type_ in relations["type"].unique().to_list():
            validate_graph_name(type_)
        self._upsert("relations", relations)
        return relations.height

    def prune(self, keep: dict[str, set[str]]) -> dict[str, int]:
        removed = {}
        for table, ids in keep.items():
            current = self._read(table)
            if current is None:
                removed[table] = 0
                continue
            key = _TABLE_IDS[table]
            stale = current.filter(~pl.col(key).is_in(list(ids)))
            removed[table] = stale.height
            if stale.height:
                self._write(table, current.filter(pl.col(key).is_in(list(ids))))
                kind = {"chunks": "chunk", "entities": "entity"}.get(table)
                if kind and (index := self._index(kind)) is not None:
                    index.remove(stale[key].to_list())
                    index.save()
        self._unlink_decisions()
        self._unlink_workflow()
        return removed

    # -- decisions ---------------------------------------------------------------------------------------
    def _existing_ids(self, label: str) -> pl.Series:
        table = {"Chunk": "chunks", "Entity": "entities", "Run": "runs"}[label]
        current = self._read(table)
        return pl.Series([], dtype=pl.String) if current is None else current[_TABLE_IDS[table]]

    def _unlink_decisions(self) -> None:
        """Decisions keep only links to chunks and entities still there (Neo4j's DETACH DELETE does the same);
        the run keys they cite stay (see ``graph.decisions``)."""
        decisions = self._read("decisions")
        if decisions is None or not decisions.height:
            return
        kept = decisions.with_columns(
            pl.col(link.column).list.set_intersection(self._existing_ids(link.label).implode()).list.sort()
            for link in DECISION_LINKS
            if not link.remembered
        )
        if not kept.equals(decisions):
            self._write("decisions", kept)

    def upsert_decisions(self, decisions: pl.DataFrame) -> DecisionWrite:
        """Decisions by id, each linked to the cited chunks and the entities it is about that exist now, and to
        the cited tries whose Run nodes exist (now or when the workflow graph writes them)."""
        rows = decision_rows(decisions)
        counts = {}
        for link in DECISION_LINKS:
            requested = int(rows[link.column].list.len().sum())
            present = pl.col(link.column).list.set_intersection(self._existing_ids(link.label).implode())
            linked = int(rows.select(present.list.len().sum()).item() or 0)
            if not link.remembered:
                rows = rows.with_columns(present.list.sort())
            counts[link.label] = (linked, requested - linked)
        if rows.height:
            self._upsert("decisions", rows)
        return DecisionWrite(
            decisions=rows.height,
            cites=counts["Chunk"][0],
            about=counts["Entity"][0],
            missing_chunks=counts["Chunk"][1],
            missing_entities=counts["Entity"][1],
            cites_runs=counts["Run"][0],
            missing_runs=counts["Run"][1],
        )

    # -- workflow graph ----------------------------------------------------------------------------------
    def _unlink_workflow(self) -> None:
        """Dags and tasks keep only NAMED_IN links to entities still there (as Neo4j's DETACH DELETE does)."""
        existing = self._existing_ids("Entity").implode()
        for table in ("dags", "tasks"):
            current = self._read(table)
            if current is None or not current.height:
                continue
            kept = current.with_columns(pl.col("entity_ids").list.set_intersection(existing).list.sort())
            if not kept.equals(current):
                self._write(table, kept)

    def write_workflow(self, graph: WorkflowGraph) -> WorkflowWrite:
        """Replace the workflow graph with ``graph``: nodes gone from it are pruned, each node's links replaced;
        NAMED_IN links only to entities that exist."""
        rows = workflow_rows(graph)
        existing = self._existing_ids("Entity").implode()
        requested = sum(int(rows[t]["entity_ids"].list.len().sum() or 0) for t in ("dags", "tasks"))
        for table in ("dags", "tasks"):
            rows[table] = rows[table].with_columns(pl.col("entity_ids").list.set_intersection(existing).list.sort())
        pruned = {}
        for table, (_, key) in WORKFLOW_TABLES.items():
            current = self._read(table)
            pruned[table] = 0 if current is None else current.join(rows[table].select(key), on=key, how="anti").height
            self._write(table, rows[table])
        return workflow_write(self._tables(), requested, pruned)

    def task_context(
        self,
        dag_id: str,
        task_id: str,
        runs: int = defaults.TASK_CONTEXT_RUNS,
        chunks: int = defaults.TASK_CONTEXT_CHUNKS,
    ) -> TaskContext | None:
        """The task, its DAG's and its own linked entities with their first chunks, neighbours and recent runs."""
        return task_context_of_tables(self._tables(), dag_id, task_id, runs, chunks)

    def write_communities(self, communities: pl.DataFrame) -> int:
        """Communities and their members are one file, replaced by one atomic rename: never half-written."""
        duplicated = communities.filter(pl.col("community_id").is_duplicated())["community_id"].unique()
        if duplicated.len():
            raise GraphStoreError(f"communities with duplicate ids, e.g. {duplicated.head(3).to_list()}; kept the old")
        self._write("communities", communities)
        return communities.height

    # -- reads -------------------------------------------------------------------------------------------
    def vector_search(self, kind: VectorKind, vector: np.ndarray, k: int = 10) -> list[SearchHit]:
        index = self._index(kind)
        return index.search(vector, k) if index is not None else []

    def fulltext_search(self, kind: VectorKind, query: str, k: int = 10) -> list[SearchHit]:
        """Rank chunks (text) or entities (name, aliases, description) by how many query words they contain."""
        table = self._read(_KIND_TABLE[kind])
        words = sorted(set(re.findall(r"\w+", query.casefold())))
        if table is None or not words:
            return []
        key = _TABLE_IDS[_KIND_TABLE[kind]]
        if kind == "chunk":
            text = pl.col("text")
        else:
            text = pl.concat_str(["name", pl.col("aliases").list.join(" "), "description"], separator=" ")
        scored = (
            table.select(key, text.str.to_lowercase().alias("t"))
            .with_columns(
                pl.sum_horizontal(
                    [pl.col("t").str.contains(rf"\b{re.escape(w)}\b").cast(pl.Int32) for w in words]
                ).alias("score")
            )
            .filter(pl.col("score") > 0)
            .sort(["score", key], descending=[True, False])
            .head(k)
        )
        return [SearchHit(id=i, score=float(s)) for i, s in scored.select(key, "score").iter_rows()]

    def neighbourhood(self, entity_ids: list[str], hops: int = 1, limit: int = 200) -> Neighbourhood:
        relations = self._read("relations")
        seen = set(entity_ids)
        if relations is None:
            return Neighbourhood(entity_ids=sorted(seen), relations=[], evidence_chunk_ids=[])
        frontier = set(entity_ids)
        for _ in range(hops):
            touching = relations.filter(
                pl.col("source_id").is_in(list(frontier)) | pl.col("target_id").is_in(list(frontier))
            )
            nxt = (set(touching["source_id"].to_list()) | set(touching["target_id"].to_list())) - seen
            seen |= nxt
            frontier = nxt
            if not frontier or len(seen) >= limit:
                break
        edges = relations.filter(pl.col("source_id").is_in(list(seen)) & pl.col("target_id").is_in(list(seen)))
        edges = edges.sort("weight", "relation_id", descending=[True, False]).head(limit)
        evidence = sorted({c for ids in edges["evidence_chunk_ids"].to_list() for c in ids})
        rows = edges.select("relation_id", "source_id", "target_id", "type", "weight", "evidence_chunk_ids").to_dicts()
        return Neighbourhood(entity_ids=sorted(seen), relations=rows, evidence_chunk_ids=evidence)

    def communities_of(self, entity_id: str) -> list[dict]:
        communities = self._read("communities")
        if communities is None:
            return []
        hits = communities.filter(pl.col("entity_ids").list.contains(entity_id)).sort("level")
        return hits.drop("entity_ids").to_dicts()

    def entity_edges(self) -> pl.DataFrame:
        relations = self._read("relations")
        if relations is None:
            return pl.DataFrame(schema={"source_id": pl.String, "target_id": pl.String, "weight": pl.Float64})
        return relations.select("source_id", "target_id", "weight")

    def leiden_levels(self, seed: int = 42, resolution: float = 1.0) -> pl.DataFrame:
        raise GraphStoreError("in-database Leiden (communities algorithm 'gds') needs the Neo4j graph store")

    def _tables(self) -> dict[str, pl.DataFrame | None]:
        return {t: self._read(t) for t in _TABLE_IDS}

    def stats(self) -> GraphStats:
        return table_stats(self._tables())

    def dump(self) -> GraphDump:
        """Every node and link in canonical order, as the Neo4j store dumps the same graph."""
        return dump_tables(self._tables())

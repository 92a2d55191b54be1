"""The Neo4j store's reads: vector and full-text search, neighbourhoods, stats, the canonical dump and Leiden in
the database (Graph Data Science)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import numpy as np
import polars as pl
from neo4j import Driver
from neo4j.exceptions import DriverError, Neo4jError

from orc_ai.errors import GraphStoreError
from orc_ai.graph import cypher
from orc_ai.graph.models import (
    MIN_EDGE_WEIGHT,
    DumpNode,
    DumpRelationship,
    GraphDump,
    GraphStats,
    Neighbourhood,
    SearchHit,
)
from orc_ai.graph.store import VectorKind

log = logging.getLogger(__name__)


class Neo4jReads:
    """Read side of ``Neo4jGraphStore`` (which provides the driver, database and oversampling)."""

    driver: Driver
    database: str | None
    vector_oversampling: int

    def _read(self, query: str, **params: Any) -> list[dict]:
        with self.driver.session(database=self.database) as session:
            return session.execute_read(lambda tx: [r.data() for r in tx.run(query, **params)])

    def vector_search(self, kind: VectorKind, vector: np.ndarray, k: int = 10) -> list[SearchHit]:
        index = cypher.VECTOR_INDEXES[kind][0]
        try:
            # HNSW explores about k candidates: ask for more and keep the best k, or a close neighbour is missed
            candidates = max(int(k) * self.vector_oversampling, 100)
            rows = self._read(cypher.VECTOR_SEARCH, index=index, k=candidates, vector=[float(x) for x in vector])[
                : int(k)
            ]
        except Neo4jError as exc:
            if "no such" in str(exc).lower():  # nothing loaded yet, so no index
                return []
            raise GraphStoreError(f"vector search on {index} failed: {exc}") from exc
        # Neo4j reports cosine similarity as (1 + cos) / 2; return plain cosine like the embedded store
        return [SearchHit(id=r["id"], score=round(2 * r["score"] - 1, 6)) for r in rows]

    def fulltext_search(self, kind: VectorKind, query: str, k: int = 10) -> list[SearchHit]:
        """Lucene full-text search over chunk text or entity names/aliases/descriptions."""
        index = cypher.FULLTEXT_INDEXES[kind][0]
        rows = self._read(cypher.FULLTEXT_SEARCH, index=index, text=_lucene_escape(query), k=int(k))
        return [SearchHit(id=r["id"], score=round(r["score"], 6)) for r in rows]

    def neighbourhood(self, entity_ids: list[str], hops: int = 1, limit: int = 200) -> Neighbourhood:
        seen, frontier = set(entity_ids), set(entity_ids)
        for _ in range(hops):
            found = {r["id"] for r in self._read(cypher.NEIGHBOURS, ids=sorted(frontier))}
            frontier = found - seen
            seen |= frontier
            if not frontier or len(seen) >= limit:
                break
        rows = self._read(cypher.RELATIONS_AMONG, ids=sorted(seen), limit=int(limit))
        evidence = sorted({c for r in rows for c in (r["evidence_chunk_ids"] or [])})
        return Neighbourhood(entity_ids=sorted(seen), relations=rows, evidence_chunk_ids=evidence)

    def communities_of(self, entity_id: str) -> list[dict]:
        return self._read(cypher.COMMUNITIES_OF, id=entity_id)

    def entity_edges(self) -> pl.DataFrame:
        rows = self._read(cypher.ENTITY_EDGES)
        schema = {"source_id": pl.String, "target_id": pl.String, "weight": pl.Float64}
        return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)

    def stats(self) -> GraphStats:
        tallies = {
            name: {r["key"]: r["n"] for r in sorted(self._read(query), key=lambda r: r["key"])}
            for name, query in (
                ("relation_types", cypher.RELATION_TYPE_COUNTS),
                ("type_labels", cypher.TYPE_LABEL_COUNTS),
            )
        }
        return GraphStats(**self._read(cypher.STATS)[0], **tallies)

    def dump(self) -> GraphDump:
        """Every node of a core label and every link between such nodes, properties but vectors, in canonical
        order (``EmbeddedGraphStore.dump`` gives the same for the same tables)."""
        nodes = [
            DumpNode(key=r["key"], labels=sorted(r["labels"]), properties=dict(r["properties"]))
            for r in self._read(cypher.DUMP_NODES, hidden=cypher.HIDDEN)
        ]
        rels = [
            DumpRelationship(type=r["type"], source=r["source"], target=r["target"], properties=dict(r["properties"]))
            for r in self._read(cypher.DUMP_RELATIONSHIPS, hidden=cypher.HIDDEN)
        ]
        return GraphDump.of(nodes, rels)

    # -- in-database analytics ---------------------------------------------------------------------------
    def has_gds(self) -> bool:
        """True when the Graph Data Science plugin's Leiden procedure is installed."""
        return bool(self._read(cypher.GDS_LEIDEN_AVAILABLE)[0]["available"])

    def leiden_levels(self, seed: int = 42, resolution: float = 1.0) -> pl.DataFrame:
        """Leiden (GDS) on the weighted, undirected entity graph: ``entity_id`` and ``community_ids``, one id per
        aggregation level from finest to coarsest. The projection lives only for this call."""
        if not self.has_gds():
            raise GraphStoreError("gds.leiden is not installed in this Neo4j: install Graph Data Science")
        graph = f"orc_ai_entities_{uuid.uuid4().hex}"
        schema = {"entity_id": pl.String, "community_ids": pl.List(pl.Int64)}
        # GDS procedures run in auto-commit transactions: a retried managed transaction would re-project
        with self.driver.session(database=self.database) as session:
            try:
                projected = session.run(cypher.GDS_PROJECT_ENTITY_GRAPH, graph=graph, min_weight=MIN_EDGE_WEIGHT)
                record = projected.single()
                if record is None or not record["nodes"]:
                    return pl.DataFrame(schema=schema)
                rows = session.run(
                    cypher.GDS_LEIDEN_STREAM, graph=graph, seed=int(seed), resolution=float(resolution)
                ).data()
            except (Neo4jError, DriverError) as exc:
                raise GraphStoreError(f"GDS Leiden failed: {exc}") from exc
            finally:
                try:
                    session.run(cypher.GDS_DROP_GRAPH, graph=graph).consume()
                except (Neo4jError, DriverError) as exc:  # never hide the real error; GDS frees it on restart
                    log.warning("could not drop the GDS projection %s: %s", graph, exc)
        return pl.DataFrame(rows, schema=schema).sort("entity_id")


def _lucene_escape(text: str) -> str:
    """Treat user text as words, not Lucene syntax."""
    special = set('+-&|!(){}[]^"~*?:\\/')
    return "".join(f"\\{ch}" if ch in special else ch for ch in text)

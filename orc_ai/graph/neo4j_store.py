"""GraphStore on Neo4j 5 through the official driver: batched UNWIND/MERGE writes, one transaction per batch.

Managed transactions (``execute_write``) retry transient failures (leader switches, a server that is briefly
unavailable) with backoff; deadlocks between this store's own parallel writers are retried sooner (see
``_Deadlock``). A batch is either written whole or not at all, and every write is an idempotent MERGE, so
re-running a failed load converges. A row replaces what the store holds for its id: its properties, its type
label, and its outgoing links (a chunk's HAS_CHUNK and NEXT_CHUNK, an entity's MENTIONS), so a load after any
upstream change leaves the graph a fresh load of the same tables would (``dump`` compares them).
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import Any

import numpy as np
import polars as pl
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import Neo4jError, TransientError

from orc_ai import defaults
from orc_ai.errors import GraphStoreError
from orc_ai.graph import cypher
from orc_ai.graph.decisions import decision_links, decision_rows
from orc_ai.graph.models import DecisionWrite
from orc_ai.graph.neo4j_batches import Columns as _Columns
from orc_ai.graph.neo4j_batches import batches as _batches
from orc_ai.graph.neo4j_reads import Neo4jReads
from orc_ai.graph.neo4j_workflow import Neo4jWorkflow
from orc_ai.graph.schema import CORE_LABELS, DECISION_LINKS, NODE_PROPERTIES, type_label
from orc_ai.graph.store import VectorKind, is_graph_name, validate_graph_name
from orc_ai.graph.write_plan import bucket_rounds

log = logging.getLogger(__name__)
_DEADLOCK = "Neo.TransientError.Transaction.DeadlockDetected"
_DEADLOCK_RETRIES = 12  # backoff 20 ms doubling to 1 s: about 6 s in all before a batch gives up


class _Deadlock(Exception):
    """A batch chosen as a deadlock's victim. Raised out of the transaction function so that the driver's managed
    retry, which first waits a second, leaves it to ``_commit``: the other transaction commits within
    milliseconds, and parallel relationship writes meet a few deadlocks per load (on chain records shared by
    nodes of different buckets)."""


def _with_vector_hash(frame: pl.DataFrame) -> pl.DataFrame:
    """Adds ``vector_hash``, a hash of each vector's float32 bytes, when the frame has a ``vector`` column."""
    if "vector" not in frame.columns:
        return frame
    vectors = frame["vector"].to_numpy().astype(np.float32)
    hashes = [hashlib.sha1(v.tobytes()).hexdigest() for v in vectors]
    return frame.with_columns(pl.Series("vector_hash", hashes, dtype=pl.String))



def _last_per_id(rows: pl.DataFrame, key: str) -> pl.DataFrame:
    """One row per id, the last winning: parallel writers would otherwise race two rows of one id."""
    return rows.unique(subset=key, keep="last", maintain_order=True)

class Neo4jGraphStore(Neo4jReads, Neo4jWorkflow):
    """The production graph store; same interface and result shapes as ``EmbeddedGraphStore``."""

    def __init__(
        self,
        driver: Driver,
        database: str | None = None,
        batch_size: int = defaults.NEO4J_BATCH_SIZE,
        vector_oversampling: int = 10,
        write_concurrency: int = defaults.NEO4J_WRITE_CONCURRENCY,
    ):
        self.driver = driver
        self.vector_oversampling = vector_oversampling
        self.database = database
        self.batch_size = batch_size
        self.write_concurrency = max(1, int(write_concurrency))

    @classmethod
    def connect(
        cls,
        uri: str,
        user: str | None = None,
        password: str | None = None,
        max_retry_seconds: float = 60.0,
        **kwargs: Any,
    ) -> Neo4jGraphStore:
        """Driver for ``uri`` (auth only when a user is given); verifies connectivity. Managed transactions retry
        transient errors for up to ``max_retry_seconds``."""
        auth = (user, password or "") if user else None
        driver = GraphDatabase.driver(uri, auth=auth, max_transaction_retry_time=max_retry_seconds)
        try:
            driver.verify_connectivity()
        except Exception as exc:  # the driver raises several unrelated types for a dead endpoint
            driver.close()
            raise GraphStoreError(f"cannot reach Neo4j at {uri}: {exc}") from exc
        return cls(driver, **kwargs)

    def close(self) -> None:
        self.driver.close()

    # -- plumbing ----------------------------------------------------------------------------------------
    def _write(
        self, query: str, rows: pl.DataFrame, size: int | None = None, stop: threading.Event | None = None
    ) -> int:
        """Run ``query`` (``UNWIND $rows AS row ...``) over ``rows`` in batches, one managed (retried) transaction
        per batch; returns early when ``stop`` is set (another writer failed)."""
        if rows.is_empty():
            return 0
        size = size or self.batch_size
        rows = _with_vector_hash(rows)
        query = cypher.columnar(query, rows.columns)
        written = 0
        for batch in _batches(rows, size):
            if stop is not None and stop.is_set():
                break
            try:
                self._commit(query, batch)
            except Neo4jError as exc:
                raise GraphStoreError(f"Neo4j rejected a batch ({batch!r}): {exc}") from exc
            written += len(batch[rows.columns[0]])
        return written

    def _commit(self, query: str, batch: _Columns) -> None:
        """One managed transaction for ``batch``; a deadlock victim is retried after a short, jittered backoff."""

        def work(tx):
            try:
                tx.run(query, rows=batch).consume()
            except TransientError as exc:
                if exc.code == _DEADLOCK:
                    raise _Deadlock() from exc
                raise

        for attempt in range(_DEADLOCK_RETRIES):
            try:
                with self.driver.session(database=self.database) as session:
                    session.execute_write(work)
                return
            except _Deadlock as exc:
                if attempt == _DEADLOCK_RETRIES - 1:
                    raise exc.__cause__ from None
                log.debug("batch %r lost a deadlock; retry %d", batch, attempt + 1)
                time.sleep(min(0.02 * 2**attempt, 1.0) * random.uniform(0.5, 1.5))

    def _write_frame(
        self,
        query: str,
        frame: pl.DataFrame,
        keys: Sequence[str] = (),
        same_nodes: bool = True,
        size: int | None = None,
    ) -> int:
        """``_write`` from up to ``write_concurrency`` sessions at once, on buckets whose rows lock disjoint nodes
        (``keys``: the id columns of the nodes a row locks; see ``write_plan``). The first failure stops every
        writer after its current batch and is raised, with the other writers' failures as notes."""
        size = size or self.batch_size
        workers = self.write_concurrency if frame.height > size else 1  # one batch: no point splitting it
        written = 0
        for buckets in bucket_rounds(frame, keys, workers, same_nodes):
            if len(buckets) == 1:
                written += self._write(query, buckets[0], size)
                continue
            stop = threading.Event()
            pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="neo4j-writer")
            try:
                futures = [pool.submit(self._write, query, bucket, size, stop) for bucket in buckets]
                wait(futures, return_when=FIRST_EXCEPTION)
            finally:
                stop.set()  # no-op when all succeeded; otherwise (a failure, an interrupt) writers stop early
                pool.shutdown(wait=True, cancel_futures=True)
            failures = [f.exception() for f in futures if not f.cancelled() and f.exception() is not None]
            if failures:
                for other in failures[1:]:
                    failures[0].add_note(f"another writer also failed: {other}")
                raise failures[0]
            written += sum(f.result() for f in futures)
        return written

    def _run(self, query: str, **params: Any) -> list[dict]:
        """One write transaction (retried on transient errors); returns the result rows."""
        with self.driver.session(database=self.database) as session:
            return session.execute_write(lambda tx: [r.data() for r in tx.run(query, **params)])

    # -- schema ------------------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Uniqueness constraints and full-text indexes, idempotently; vector indexes follow the data's dimension."""
        for statement in cypher.CONSTRAINTS:
            self._run(statement)

    def _ensure_vector_index(self, kind: VectorKind, dimension: int) -> None:
        """Create the vector index; one of another dimension (the embedding model changed) is rebuilt."""
        name = cypher.VECTOR_INDEXES[kind][0]
        existing = self._read(cypher.VECTOR_INDEX_DIMENSION, name=name)
        if existing and existing[0]["dimension"] != dimension:
            log.warning(
                "vector index %s has dimension %s, data has %s: rebuilding it",
                name,
                existing[0]["dimension"],
                dimension,
            )
            self._run(cypher.drop_index(name))
        self._run(cypher.create_vector_index(kind, dimension))

    # -- writes ------------------------------------------------------------------------------------------
    def upsert_documents(self, documents: pl.DataFrame) -> int:
        return self._write(cypher.UPSERT_DOCUMENTS, _last_per_id(documents, "doc_id"))

    def upsert_chunks(self, chunks: pl.DataFrame) -> int:
        chunks = _last_per_id(chunks, "chunk_id")
        if chunks.height:
            self._ensure_vector_index("chunk", chunks.schema["vector"].size)
        written = self._write_frame(cypher.UPSERT_CHUNKS, chunks, keys=["doc_id"])  # HAS_CHUNK locks the document
        ordered = chunks.select("doc_id", "chunk_index", "chunk_id").sort("doc_id", "chunk_index")
        pairs = ordered.with_columns(pl.col("chunk_id").shift(-1).over("doc_id").alias("target"))  # last: none
        self._write_frame(
            cypher.LINK_NEXT_CHUNKS, pairs.select("doc_id", pl.col("chunk_id").alias("source"), "target"), ["doc_id"]
        )
        return written

    def upsert_entities(self, entities: pl.DataFrame) -> int:
        """Entities with their type label (none for a core-label type, see ``schema.type_label``); each entity's
        MENTIONS and type label are replaced by what its row says."""
        entities = _last_per_id(entities, "entity_id")
        types = sorted(entities["type"].unique().to_list())
        for type_ in types:
            validate_graph_name(type_)
        if entities.height:
            self._ensure_vector_index("entity", entities.schema["vector"].size)
        written = 0
        frame = entities.with_columns(pl.col("aliases").list.join(" | ").alias("aliases_text"))
        for type_ in types:
            written += self._write_frame(
                cypher.upsert_entities(type_label(type_)), frame.filter(pl.col("type") == type_).drop("chunk_ids")
            )
        for statement in cypher.REMOVE_CORE_LABELS_FROM_ENTITIES:
            self._run(statement)
        for label in (r["label"] for r in self._read(cypher.ENTITY_TYPE_LABELS)):
            if label not in CORE_LABELS and is_graph_name(label):  # other tools' labels are not ours to touch
                self._run(cypher.remove_stale_type_label(label), type=label)
        self._write_frame(cypher.UNLINK_STALE_MENTIONS, entities.select("entity_id", "chunk_ids"))
        mentions = entities.select(pl.col("chunk_ids").alias("chunk_id"), "entity_id").explode("chunk_id")
        self._write_frame(
            cypher.LINK_MENTIONS,
            mentions.drop_nulls("chunk_id"),
            ["chunk_id", "entity_id"],
            same_nodes=False,
            size=self.batch_size * 5,
        )
        return written

    def upsert_relations(self, relations: pl.DataFrame) -> int:
        """Relations by id; a stored relation with one of these ids but other endpoints or type goes first."""
        relations = _last_per_id(relations, "relation_id")
        if (moved := self._moved_relations(relations)).height:
            self._write(cypher.DELETE_BY_ID["relations"], moved)
        written = 0
        for type_ in sorted(relations["type"].unique().to_list()):
            query = cypher.upsert_relations(type_)  # validates the type
            rows = relations.filter(pl.col("type") == type_).drop("type")
            written += self._write_frame(query, rows, ["source_id", "target_id"])
        return written

    def _moved_relations(self, relations: pl.DataFrame) -> pl.DataFrame:
        """Stored relations whose id is in ``relations`` with other endpoints or another type."""
        stored = self._read(cypher.ALL_IDS["relations"])
        if not stored or relations.is_empty():
            return pl.DataFrame()
        wanted = {
            (r, s, t, ty)
            for r, s, t, ty in relations.select("relation_id", "source_id", "target_id", "type").iter_rows()
        }
        ids = {w[0] for w in wanted}
        moved = [
            row
            for row in stored
            if row["id"] in ids and (row["id"], row["source_id"], row["target_id"], row["type"]) not in wanted
        ]
        return pl.DataFrame(moved)

    def prune(self, keep: dict[str, set[str]]) -> dict[str, int]:
        removed = {}
        for table, ids in keep.items():
            stale = [row for row in self._read(cypher.ALL_IDS[table]) if row["id"] not in ids]
            removed[table] = self._write(cypher.DELETE_BY_ID[table], pl.DataFrame(stale)) if stale else 0
        return removed

    def write_communities(self, communities: pl.DataFrame) -> int:
        """Replace every community in one transaction: a failure or a crash at any point leaves the old set."""
        columns = [*NODE_PROPERTIES["Community"], "entity_ids"]
        rows = communities.select(c for c in columns if c in communities.columns)
        query = cypher.columnar(cypher.CREATE_COMMUNITIES, rows.columns) if rows.height else ""
        batches = list(_batches(rows, max(1, self.batch_size // 10)))  # a row carries its whole member list

        def work(tx) -> None:
            tx.run(cypher.DELETE_COMMUNITIES).consume()
            for batch in batches:
                tx.run(query, rows=batch).consume()
            tx.run(cypher.LINK_COMMUNITY_PARENTS).consume()

        try:
            with self.driver.session(database=self.database) as session:
                session.execute_write(work)
        except Neo4jError as exc:
            raise GraphStoreError(
                f"Neo4j rejected the communities ({rows.height} rows); kept the old ones: {exc}"
            ) from exc
        return rows.height

    def upsert_decisions(self, decisions: pl.DataFrame) -> DecisionWrite:
        """Decisions by id with their CITES and ABOUT links, replaced in one transaction; links to chunks,
        entities or runs that are not in the graph are skipped and counted (a run is linked when it is written)."""
        rows = decision_rows(decisions)
        if rows.is_empty():
            return DecisionWrite()
        size = max(1, self.batch_size)
        remembered = [link.column for link in DECISION_LINKS if link.remembered]
        statements = [(cypher.UPSERT_DECISIONS, rows.select(*NODE_PROPERTIES["Decision"], *remembered))]
        statements.append((cypher.UNLINK_DECISIONS, rows.select("decision_id")))
        requested = {}
        for link in DECISION_LINKS:
            pairs = decision_links(rows, link.column)
            requested[link.label] = pairs.height
            statements.append((cypher.link_decisions(link.rel_type, link.label), pairs))
        batches = [
            (cypher.columnar(query, frame.columns), batch)
            for query, frame in statements
            if frame.height
            for batch in _batches(frame, size)
        ]
        ids = rows["decision_id"].to_list()

        def work(tx) -> dict[str, int]:
            for query, batch in batches:
                tx.run(query, rows=batch).consume()
            return {r["label"]: r["n"] for r in tx.run(cypher.DECISION_LINK_COUNTS, ids=ids)}

        try:
            with self.driver.session(database=self.database) as session:
                linked = session.execute_write(work)
        except Neo4jError as exc:
            raise GraphStoreError(f"Neo4j rejected {rows.height} decisions; kept the old ones: {exc}") from exc
        cites, about, runs = (linked.get(label, 0) for label in ("Chunk", "Entity", "Run"))
        return DecisionWrite(
            decisions=rows.height,
            cites=cites,
            about=about,
            missing_chunks=requested["Chunk"] - cites,
            missing_entities=requested["Entity"] - about,
            cites_runs=runs,
            missing_runs=requested["Run"] - runs,
        )

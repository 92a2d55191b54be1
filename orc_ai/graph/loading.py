"""Load the pipeline's tables into a GraphStore: upsert everything by id, then prune what is gone."""

from __future__ import annotations

import polars as pl

from orc_ai.errors import GraphStoreError
from orc_ai.graph.models import GraphStats
from orc_ai.graph.schema import NODE_PROPERTIES
from orc_ai.graph.store import GraphStore
from orc_ai.progress import Progress, or_silent


def _with_vectors(rows: pl.DataFrame, key: str, embeddings: pl.DataFrame, kind: str) -> pl.DataFrame:
    vectors = embeddings.filter(pl.col("kind") == kind).select(pl.col("id").alias(key), "vector")
    joined = rows.join(vectors, on=key, how="left")
    missing = joined.filter(pl.col("vector").is_null())
    if missing.height:
        raise GraphStoreError(f"{missing.height} {kind} rows have no embedding, e.g. {missing[key].head(3).to_list()}")
    return joined


def load_graph(
    store: GraphStore,
    documents: pl.DataFrame,
    chunks: pl.DataFrame,
    entities: pl.DataFrame,
    relations: pl.DataFrame,
    embeddings: pl.DataFrame,
    progress: Progress | None = None,
) -> tuple[GraphStats, dict[str, int]]:
    """Write documents, chunks, entities and relations (with vectors); returns store stats and pruned counts.

    ``progress`` counts rows one table at a time (a store's upsert links rows across the whole table)."""
    reporter = or_silent(progress)
    reporter.start(documents.height + chunks.height + entities.height + relations.height, "rows")
    store.ensure_schema()
    store.upsert_documents(documents.select(NODE_PROPERTIES["Document"]))
    reporter.advance(documents.height)
    store.upsert_chunks(_with_vectors(chunks.drop("content_hash"), "chunk_id", embeddings, "chunk"))
    reporter.advance(chunks.height)
    store.upsert_entities(_with_vectors(entities, "entity_id", embeddings, "entity"))
    reporter.advance(entities.height)
    store.upsert_relations(relations)
    reporter.advance(relations.height)
    reporter.finish()
    pruned = store.prune(
        {
            "documents": set(documents["doc_id"].to_list()),
            "chunks": set(chunks["chunk_id"].to_list()),
            "entities": set(entities["entity_id"].to_list()),
            "relations": set(relations["relation_id"].to_list()),
        }
    )
    return store.stats(), pruned

"""The embeddings table: one vector per chunk and per entity, and a drift probe over it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from orc_ai.cache import ContentCache
from orc_ai.embed.cached import EmbeddingRun, embed_with_cache
from orc_ai.embed.embedders import Embedder
from orc_ai.embed.texts import chunk_embedding_text, entity_text
from orc_ai.hashing import stable_hash
from orc_ai.progress import Progress


@dataclass(frozen=True)
class EmbeddingInputs:
    """What gets embedded, in table order."""

    ids: list[str]
    kinds: list[str]
    texts: list[str]


def embedding_inputs(raw_docs: pl.DataFrame, chunks: pl.DataFrame, entities: pl.DataFrame) -> EmbeddingInputs:
    """Chunks (document title + text) then entities (name, type, aliases, description)."""
    titles = dict(raw_docs.select("doc_id", "title").iter_rows())
    texts = [chunk_embedding_text(titles.get(d, ""), t) for d, t in chunks.select("doc_id", "text").iter_rows()]
    texts += [entity_text(row) for row in entities.iter_rows(named=True)]
    ids = chunks["chunk_id"].to_list() + entities["entity_id"].to_list()
    return EmbeddingInputs(ids, ["chunk"] * chunks.height + ["entity"] * entities.height, texts)


def embed_tables(
    embedder: Embedder,
    raw_docs: pl.DataFrame,
    chunks: pl.DataFrame,
    entities: pl.DataFrame,
    cache: ContentCache,
    progress: Progress | None = None,
) -> tuple[pl.DataFrame, EmbeddingRun]:
    """The ``embeddings`` table (``id``, ``kind``, ``model``, ``vector``); only texts not cached are embedded."""
    inputs = embedding_inputs(raw_docs, chunks, entities)
    run = embed_with_cache(embedder, inputs.texts, cache, progress=progress)
    table = pl.DataFrame(
        {"id": inputs.ids, "kind": inputs.kinds, "model": [embedder.model_id] * len(inputs.ids)}
    ).with_columns(pl.Series("vector", run.vectors, dtype=pl.Array(pl.Float32, run.vectors.shape[1])))
    return table, run


@dataclass(frozen=True)
class DriftReport:
    sampled: int
    drifted: int
    min_cosine: float
    other_model_rows: int


def embedding_drift(
    embedder: Embedder, embeddings: pl.DataFrame, inputs: EmbeddingInputs, sample_size: int, tolerance: float
) -> DriftReport:
    """Re-embed a fixed sample of rows now, bypassing the cache, and compare with the stored vectors.

    Stored vectors of unchanged ids come from the cache, i.e. from earlier materialisations; if the model behind
    the same model id now embeds differently (new weights, a library change, a different device's numerics),
    old and new vectors would share one index. A row drifts when its cosine to the fresh vector is below
    ``1 - tolerance``."""
    other_model = embeddings.filter(pl.col("model") != embedder.model_id).height
    text_of = dict(zip(inputs.ids, inputs.texts, strict=True))
    rows = embeddings.filter(pl.col("id").is_in(list(text_of)))
    if rows.is_empty() or sample_size <= 0:
        return DriftReport(0, 0, 1.0, other_model)
    order = sorted(rows["id"].to_list(), key=lambda i: stable_hash("drift-sample", i))[:sample_size]
    sample = rows.filter(pl.col("id").is_in(order))
    stored = sample["vector"].to_numpy().astype(np.float32)
    fresh = embedder.embed([text_of[i] for i in sample["id"].to_list()])
    if fresh.shape != stored.shape:
        return DriftReport(sample.height, sample.height, 0.0, other_model)
    norms = np.linalg.norm(stored, axis=1) * np.linalg.norm(fresh, axis=1)
    cosine = (stored * fresh).sum(axis=1) / np.where(norms == 0, 1, norms)
    return DriftReport(sample.height, int((cosine < 1 - tolerance).sum()), float(cosine.min()), other_model)

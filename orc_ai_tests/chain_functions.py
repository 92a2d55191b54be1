"""A small real graph built by the chain's own functions (no Dagster): ingest, chunking, NLP extraction, MiniLM
embeddings and the embedded store, for tests of what reads the graph."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orc_ai.cache import ContentCache
from orc_ai.embed.embedders import SentenceTransformerEmbedder
from orc_ai.embed.tables import embed_tables
from orc_ai.extract.entities import build_extractor, extract_entities
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.graph.loading import load_graph
from orc_ai.ingest.documents import ingest_folder
from orc_ai.text.chunking import chunk_documents, load_tokenizer


@dataclass
class BuiltGraph:
    raw_docs: pl.DataFrame
    chunks: pl.DataFrame
    entities: pl.DataFrame
    relations: pl.DataFrame
    embeddings: pl.DataFrame
    store: EmbeddedGraphStore
    embedder: SentenceTransformerEmbedder


def build_graph(docs_dir: Path, root: Path) -> BuiltGraph:
    """The documents under ``docs_dir`` loaded into an embedded store under ``root`` (caches there too)."""
    embedder = SentenceTransformerEmbedder()
    raw_docs = ingest_folder(docs_dir).documents_frame()
    with ContentCache(root / "chunks.sqlite") as cache:
        chunks, _ = chunk_documents(raw_docs, load_tokenizer(str(embedder.tokenizer_file)), cache)
    with ContentCache(root / "extractions.sqlite") as cache:
        extraction = extract_entities(chunks, build_extractor("nlp"), cache)
    with ContentCache(root / "embeddings.sqlite") as cache:
        embeddings, _ = embed_tables(embedder, raw_docs, chunks, extraction.entities, cache)
    store = EmbeddedGraphStore(root / "graph")
    load_graph(store, raw_docs, chunks, extraction.entities, extraction.relations, embeddings)
    return BuiltGraph(raw_docs, chunks, extraction.entities, extraction.relations, embeddings, store, embedder)

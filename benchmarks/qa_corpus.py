"""Build a QA dev corpus through the project's own chain (ingest, chunking, NLP extraction and resolution,
embedding, embedded graph store, communities), caching every step under one folder so re-runs are fast.

Usage (warm the cache): .venv/bin/python benchmarks/qa_corpus.py musique hotpotqa
"""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orc_ai.cache import ContentCache
from orc_ai.embed.embedders import Embedder, SentenceTransformerEmbedder
from orc_ai.embed.tables import embed_tables
from orc_ai.extract.entities import build_extractor, extract_entities
from orc_ai.graph.community_build import build_communities
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.graph.loading import load_graph
from orc_ai.ingest.documents import ingest_folder
from orc_ai.text.chunking import chunk_documents, load_tokenizer

REPO = Path(__file__).resolve().parent.parent
# ../shared/data/qa beside the checkout (a worktree may sit one level deeper)
QA = next((p / "shared" / "data" / "qa" for p in REPO.parents if (p / "shared" / "data" / "qa").exists()), REPO.parent)
CACHE = REPO / ".cache" / "retrieval_qa"


@dataclass
class QaCorpus:
    """The chain's tables for one dataset and the embedded store they were loaded into."""

    tables: dict[str, pl.DataFrame]
    store: EmbeddedGraphStore
    seconds: dict[str, float]


def build_corpus(dataset: str, embedder: Embedder, cache_root: Path = CACHE) -> QaCorpus:
    """raw_docs → chunks → entities/relations → embeddings → graph → communities for ``dataset``."""
    return build_from_files(dataset, {"corpus.json": QA / f"{dataset}_dev_corpus.json"}, embedder, cache_root)


def build_from_files(name: str, files: dict[str, Path], embedder: Embedder, cache_root: Path = CACHE) -> QaCorpus:
    """The chain over the given corpus files (target name -> source), cached under ``cache_root/name``."""
    work = cache_root / name
    docs_dir = work / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    for target, source in files.items():
        shutil.copy(source, docs_dir / target)
    caches = cache_root / "cache"
    caches.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    raw_docs = ingest_folder(docs_dir).documents_frame()
    with ContentCache(caches / "chunks.sqlite") as cache:
        chunks, _ = chunk_documents(raw_docs, load_tokenizer(), cache)
    seconds["ingest_chunk"] = time.perf_counter() - start
    start = time.perf_counter()
    with ContentCache(caches / "extractions.sqlite") as cache:
        extraction = extract_entities(chunks, build_extractor("nlp"), cache)
    seconds["extract"] = time.perf_counter() - start
    start = time.perf_counter()
    with ContentCache(caches / "embeddings.sqlite") as cache:
        embeddings, _ = embed_tables(embedder, raw_docs, chunks, extraction.entities, cache)
    seconds["embed"] = time.perf_counter() - start
    start = time.perf_counter()
    store = EmbeddedGraphStore(work / "graph")
    load_graph(store, raw_docs, chunks, extraction.entities, extraction.relations, embeddings)
    communities = build_communities(store, extraction.entities, extraction.relations, chunks).table
    seconds["graph_communities"] = time.perf_counter() - start
    tables = {
        "raw_docs": raw_docs,
        "chunks": chunks,
        "entities": extraction.entities,
        "relations": extraction.relations,
        "communities": communities,
    }
    return QaCorpus(tables, store, seconds)


if __name__ == "__main__":
    model = SentenceTransformerEmbedder()
    for name in sys.argv[1:] or ["musique", "hotpotqa"]:
        corpus = build_corpus(name, model)
        print(name, {k: v.height for k, v in corpus.tables.items()}, corpus.seconds, flush=True)

"""A small real corpus built through the chain's domain functions: part of the sample corpus plus two documents
that only connect through an entity (a constructed two-hop question)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from orc_ai.cache import ContentCache
from orc_ai.embed.embedders import SentenceTransformerEmbedder
from orc_ai.embed.tables import embed_tables
from orc_ai.extract.entities import build_extractor, extract_entities
from orc_ai.graph.community_build import build_communities
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.graph.loading import load_graph
from orc_ai.ingest.documents import ingest_folder
from orc_ai.retrieve.config import RetrievalTables
from orc_ai.settings import BUNDLED_CORPUS_DIR
from orc_ai.text.chunking import chunk_documents, load_tokenizer

# hop 1 names the owner; hop 2 says where the owner is and shares no word with the question
HOP_ONE = (
    "# Kestrel ingestion\n\nThe Kestrel Pipeline copies supplier invoices every night. "
    "The Kestrel Pipeline is owned by Marlow Analytics, which approves every schema change.\n"
)
HOP_TWO = (
    "# Partner notes\n\nMarlow Analytics keeps its offices in Quenby Harbour, beside the old ferry terminal. "
    "Visitors sign in at reception on the second floor.\n"
)
TWO_HOP_QUESTION = "In which town is the owner of the Kestrel Pipeline based?"


def write_docs(target: Path) -> Path:
    """The runbooks and services of the sample corpus, and the two constructed documents."""
    for folder in ("runbooks", "services"):
        shutil.copytree(BUNDLED_CORPUS_DIR / folder, target / folder)
    (target / "kestrel-ingestion.md").write_text(HOP_ONE)
    (target / "partner-notes.md").write_text(HOP_TWO)
    return target


@dataclass
class Corpus:
    tables: RetrievalTables
    embeddings: object
    store: EmbeddedGraphStore
    embedder: SentenceTransformerEmbedder


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("retrieval")
    embedder = SentenceTransformerEmbedder()
    raw_docs = ingest_folder(write_docs(root / "docs")).documents_frame()
    with ContentCache(root / "chunks.sqlite") as cache:
        chunks, _ = chunk_documents(raw_docs, load_tokenizer(str(embedder.tokenizer_file)), cache)
    with ContentCache(root / "extractions.sqlite") as cache:
        extraction = extract_entities(chunks, build_extractor("nlp"), cache)
    with ContentCache(root / "embeddings.sqlite") as cache:
        embeddings, _ = embed_tables(embedder, raw_docs, chunks, extraction.entities, cache)
    store = EmbeddedGraphStore(root / "graph")
    load_graph(store, raw_docs, chunks, extraction.entities, extraction.relations, embeddings)
    communities = build_communities(store, extraction.entities, extraction.relations, chunks).table
    tables = RetrievalTables(raw_docs, chunks, extraction.entities, extraction.relations, communities)
    return Corpus(tables, embeddings, store, embedder)

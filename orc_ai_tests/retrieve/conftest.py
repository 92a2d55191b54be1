"""A small real corpus built through the chain's domain functions: part of the sample corpus plus two documents
that only connect through an entity (a constructed two-hop question)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from orc_ai.cache import ContentCache
from orc_ai.embed.embedders import SentenceTransformerEmbedder
from orc_ai.graph.community_build import build_communities
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.retrieve.config import RetrievalTables
from orc_ai.settings import BUNDLED_CORPUS_DIR
from orc_ai_tests.chain_functions import build_graph

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
    sentences: ContentCache  # the fact index's sentence vectors, embedded by the first retriever built


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    root = tmp_path_factory.mktemp("retrieval")
    built = build_graph(write_docs(root / "docs"), root)
    communities = build_communities(built.store, built.entities, built.relations, built.chunks).table
    tables = RetrievalTables(built.raw_docs, built.chunks, built.entities, built.relations, communities)
    with ContentCache(root / "sentence_embeddings.sqlite") as sentences:
        yield Corpus(tables, built.embeddings, built.store, built.embedder, sentences)

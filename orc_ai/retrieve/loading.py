"""Open a retriever over the graph the assets built under ORC_AI_HOME, on the configured store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orc_ai import settings
from orc_ai.retrieve.config import RetrievalConfig, RetrievalTables
from orc_ai.retrieve.retriever import Retriever

SENTENCE_CACHE = "sentence_embeddings"  # the ContentCache namespace of the fact index's sentence vectors


@contextmanager
def _home(home: Path | None) -> Iterator[None]:
    """``ORC_AI_HOME`` set to ``home`` while the resources are built (they read it as a run does)."""
    if home is None:
        yield
        return
    before = os.environ.get("ORC_AI_HOME")
    os.environ["ORC_AI_HOME"] = str(home)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("ORC_AI_HOME", None)
        else:
            os.environ["ORC_AI_HOME"] = before


@contextmanager
def load_retriever(home: Path | None = None, config: RetrievalConfig | None = None) -> Iterator[Retriever]:
    """A retriever over the asset tables under ``settings.asset_dir(home)`` and the configured graph store and
    embedder (environment read as in a run); a Neo4j driver is closed on exit. Sentence vectors are cached under
    the home's ``cache/sentence_embeddings.sqlite``, so only the first retriever over a graph embeds them."""
    from orc_ai.definitions import build_resources  # the resources as a run builds them (dagster lives there)

    with _home(home):
        resources = build_resources()
        tables = RetrievalTables.read(settings.asset_dir(home))
        store_resource = resources["graph_store"]
        embedder = resources["embedder"].get_embedder()
    with store_resource.open_store() as store, resources["state"].cache(SENTENCE_CACHE) as cache:
        yield Retriever.build(store, embedder, tables, config, cache)

"""An empty graph store of either kind, for tests that compare load histories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.graph.neo4j_store import Neo4jGraphStore

STORES = ["embedded", pytest.param("neo4j", marks=pytest.mark.slow)]


@pytest.fixture(params=STORES)
def new_store(request, tmp_path: Path) -> Callable[[], object]:
    """Returns an empty store each call: a new folder, or the test Neo4j database wiped."""
    if request.param == "embedded":
        counter = iter(range(100))
        return lambda: EmbeddedGraphStore(tmp_path / f"graph{next(counter)}")
    server = request.getfixturevalue("neo4j_server")
    store = Neo4jGraphStore.connect(server.uri, batch_size=2)  # many small batches and parallel writers
    request.addfinalizer(store.close)

    def wiped() -> Neo4jGraphStore:
        store._run("MATCH (n) DETACH DELETE n")
        return store

    return wiped

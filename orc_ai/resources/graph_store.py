"""The graph database: the embedded file store by default, Neo4j 5 in production (same GraphStore interface)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import dagster as dg
from pydantic import Field, PrivateAttr

from orc_ai import defaults
from orc_ai.errors import ConfigError
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.graph.store import GraphStore


class GraphStoreResource(dg.ConfigurableResource):
    """Selects and opens the GraphStore; a Neo4j driver is opened per run and closed after it."""

    backend: Literal["embedded", "neo4j"] = Field(default="embedded", description="'embedded' files or 'neo4j'.")
    path: str = Field(description="Folder of the embedded store.")
    neo4j_uri: str | None = Field(default=None, description="Bolt URI, e.g. neo4j://host:7687 (backend=neo4j).")
    neo4j_user: str | None = Field(default=None, description="Neo4j user; unset when auth is off.")
    neo4j_password: str | None = Field(default=None, description="Neo4j password; pass dg.EnvVar, never a literal.")
    neo4j_database: str | None = Field(default=None, description="Database name; default the server's default.")
    batch_size: int = Field(default=defaults.NEO4J_BATCH_SIZE, description="Rows per write transaction (UNWIND batch).")
    write_concurrency: int = Field(
        default=defaults.NEO4J_WRITE_CONCURRENCY,
        description="Neo4j sessions writing at once, on buckets that lock disjoint nodes (1: serial).",
    )

    _store: GraphStore | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._store = self._open()

    def _open(self) -> GraphStore:
        if self.backend == "neo4j":
            if self.batch_size < 1 or self.write_concurrency < 1:
                raise ConfigError("graph_store batch_size and write_concurrency must be at least 1")
            if not self.neo4j_uri:
                raise ConfigError("graph_store backend 'neo4j' needs neo4j_uri (set ORC_AI_NEO4J_URI)")
            from orc_ai.graph.neo4j_store import Neo4jGraphStore  # the driver is imported only when used

            return Neo4jGraphStore.connect(
                self.neo4j_uri,
                self.neo4j_user,
                self.neo4j_password,
                database=self.neo4j_database,
                batch_size=self.batch_size,
                write_concurrency=self.write_concurrency,
            )
        return EmbeddedGraphStore(Path(self.path))

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self.backend != "neo4j":
            return
        from orc_ai.graph.neo4j_store import Neo4jGraphStore

        if isinstance(self._store, Neo4jGraphStore):
            self._store.close()

    def get_store(self) -> GraphStore:
        """The store opened for this run."""
        if self._store is None:
            raise RuntimeError("graph_store is opened per run; outside a run use `with resource.open_store()`")
        return self._store

    @contextmanager
    def open_store(self) -> Iterator[GraphStore]:
        """The store for use outside a run (scripts, ``orc_ai.summary``): environment variables resolved as in a
        run, and a Neo4j driver closed afterwards."""
        with dg.build_resources({"graph_store": self}) as resources:
            yield resources.graph_store.get_store()

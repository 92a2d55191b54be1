"""The graph database: the embedded file store by default (Neo4j joins on the same interface)."""

from pathlib import Path
from typing import Literal

import dagster as dg
from pydantic import Field

from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.graph.store import GraphStore


class GraphStoreResource(dg.ConfigurableResource):
    """Selects and opens the GraphStore."""

    backend: Literal["embedded"] = Field(default="embedded", description="Graph store backend.")
    path: str = Field(description="Folder of the embedded store.")  # type: ignore[assignment]

    def get_store(self) -> GraphStore:
        return EmbeddedGraphStore(Path(self.path))

"""Local state under ``$ORC_AI_HOME``: the content-hash caches that make re-runs incremental."""

from pathlib import Path

import dagster as dg
from pydantic import Field

from orc_ai.cache import ContentCache


class LocalStateResource(dg.ConfigurableResource):
    """Where caches live; one SQLite file per namespace."""

    home: str = Field(description="ORC AI state folder ($ORC_AI_HOME).")  # type: ignore[assignment]

    def cache(self, namespace: str) -> ContentCache:
        return ContentCache(Path(self.home) / "cache" / f"{namespace}.sqlite")

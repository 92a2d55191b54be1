"""The documents folder: the one source of the input path for the raw_docs asset and the docs folder sensor."""

from pathlib import Path

import dagster as dg
from pydantic import Field

from orc_ai import settings


class DocumentsFolderResource(dg.ConfigurableResource):
    """A folder of documents to ingest ($ORC_AI_DOCS_DIR; default the bundled sample corpus)."""

    path: str = Field(
        default_factory=lambda: str(settings.docs_dir()),
        description="Folder read recursively by raw_docs and watched by docs_folder_sensor.",
    )

    @property
    def root(self) -> Path:
        return Path(self.path).resolve()

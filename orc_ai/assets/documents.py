"""raw_docs and quarantined_docs: the input folder, normalised and deduplicated."""

from pathlib import Path

import dagster as dg
from pydantic import Field

from orc_ai import defaults, settings
from orc_ai.assets import KNOWLEDGE_GRAPH
from orc_ai.ingest.documents import ingest_folder


class RawDocsConfig(dg.Config):
    docs_dir: str = Field(
        default_factory=lambda: str(settings.docs_dir()),
        description="Folder to ingest ($ORC_AI_DOCS_DIR; default the bundled sample corpus).",
    )
    max_file_bytes: int = Field(default=defaults.MAX_FILE_BYTES, description="Larger files are quarantined.")


@dg.multi_asset(
    outs={
        "raw_docs": dg.AssetOut(
            description="Normalised, deduplicated documents, one row per document.", group_name=KNOWLEDGE_GRAPH
        ),
        "quarantined_docs": dg.AssetOut(
            description="Files or records not ingested, with the reason.", group_name=KNOWLEDGE_GRAPH
        ),
    },
    can_subset=False,
)
def raw_docs(config: RawDocsConfig):
    """Read the documents folder; bad files become quarantine rows, never a failed run."""
    result = ingest_folder(Path(config.docs_dir), max_file_bytes=config.max_file_bytes)
    docs, quarantined = result.documents_frame(), result.quarantine_frame()
    reasons = quarantined.group_by("reason").len().sort("reason").rows() if quarantined.height else []
    yield dg.Output(
        docs,
        output_name="raw_docs",
        metadata={
            "files_seen": result.files_seen,
            "documents": docs.height,
            "docs_dir": config.docs_dir,
            "duplicates_merged": int(docs["duplicate_names"].list.len().sum()) if docs.height else 0,
        },
    )
    yield dg.Output(
        quarantined,
        output_name="quarantined_docs",
        metadata={"quarantined": quarantined.height, "by_reason": dict(reasons)},
    )

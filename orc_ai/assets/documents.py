"""raw_docs and quarantined_docs: the input folder, normalised and deduplicated."""

import dagster as dg
from pydantic import Field

from orc_ai import defaults
from orc_ai.assets import KNOWLEDGE_GRAPH
from orc_ai.ingest.documents import ingest_folder
from orc_ai.resources.documents_folder import DocumentsFolderResource


class RawDocsConfig(dg.Config):
    max_file_bytes: int = Field(default=defaults.MAX_FILE_BYTES, description="Larger files are quarantined.")


@dg.multi_asset(
    outs={
        "raw_docs": dg.AssetOut(
            description="Normalised, deduplicated documents, one row per document.",
            group_name=KNOWLEDGE_GRAPH,
            is_required=False,
        ),
        "quarantined_docs": dg.AssetOut(
            description="Files or records not ingested, with the reason.",
            group_name=KNOWLEDGE_GRAPH,
            is_required=False,
        ),
    },
    can_subset=True,
)
def raw_docs(context: dg.AssetExecutionContext, config: RawDocsConfig, docs: DocumentsFolderResource):
    """Read the documents folder; bad files become quarantine rows, never a failed run."""
    result = ingest_folder(docs.root, max_file_bytes=config.max_file_bytes)
    documents, quarantined = result.documents_frame(), result.quarantine_frame()
    if "raw_docs" in context.selected_output_names:
        merged = int(documents["duplicate_names"].list.len().sum()) if documents.height else 0
        counts = {"files_seen": result.files_seen, "documents": documents.height, "quarantined": quarantined.height}
        metadata = counts | {"docs_dir": str(docs.root), "duplicates_merged": merged}
        yield dg.Output(documents, output_name="raw_docs", metadata=metadata)
    if "quarantined_docs" in context.selected_output_names:
        reasons = quarantined.group_by("reason").len().sort("reason").rows() if quarantined.height else []
        metadata = {"quarantined": quarantined.height, "by_reason": dict(reasons)}
        yield dg.Output(quarantined, output_name="quarantined_docs", metadata=metadata)

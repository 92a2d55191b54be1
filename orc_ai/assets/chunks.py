"""chunks: token-aware, sentence-respecting pieces of each document with provenance."""

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.assets import KNOWLEDGE_GRAPH, downstream_automation
from orc_ai.resources.embedder import EmbedderResource
from orc_ai.resources.local_state import LocalStateResource
from orc_ai.text.chunking import chunk_documents, load_tokenizer, tokenizer_id


class ChunksConfig(dg.Config):
    max_tokens: int = Field(default=defaults.CHUNK_MAX_TOKENS, description="Most model tokens per chunk.")
    overlap_tokens: int = Field(default=defaults.CHUNK_OVERLAP_TOKENS, description="Tokens shared by neighbours.")


@dg.asset(group_name=KNOWLEDGE_GRAPH, automation_condition=downstream_automation())
def chunks(
    config: ChunksConfig, state: LocalStateResource, embedder: EmbedderResource, raw_docs: pl.DataFrame
) -> dg.Output[pl.DataFrame]:
    """Chunks of every document with doc id and character offsets, sized in the embedding model's tokens."""
    tokenizer = load_tokenizer(embedder.tokenizer_file())
    with state.cache("chunk_spans") as cache:
        table, chunked = chunk_documents(raw_docs, tokenizer, cache, config.max_tokens, config.overlap_tokens)
    return dg.Output(
        table,
        metadata={
            "chunks": table.height,
            "max_tokens": config.max_tokens,
            "tokenizer": tokenizer_id(tokenizer),
            "documents_chunked": chunked,
            "documents_from_cache": raw_docs.height - chunked,
            "mean_tokens": float(table["n_tokens"].mean() or 0.0),
        },
    )

"""Gates on chunks."""

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults


class ChunkSizeConfig(dg.Config):
    max_tokens: int = Field(default=defaults.CHUNK_MAX_TOKENS, description="Largest allowed chunk, in tokens.")


@dg.asset_check(asset="chunks", blocking=True)
def chunks_size_bounds(config: ChunkSizeConfig, chunks: pl.DataFrame) -> dg.AssetCheckResult:
    """No empty chunk and none over the token limit."""
    empty = chunks.filter((pl.col("n_tokens") == 0) | (pl.col("text").str.strip_chars() == "")).height
    oversized = chunks.filter(pl.col("n_tokens") > config.max_tokens).height
    return dg.AssetCheckResult(
        passed=chunks.height > 0 and empty == 0 and oversized == 0,
        metadata={"empty": empty, "oversized": oversized, "max_tokens_seen": int(chunks["n_tokens"].max() or 0)},
    )


@dg.asset_check(asset="chunks", blocking=True, additional_ins={"raw_docs": dg.AssetIn()})
def chunks_provenance(chunks: pl.DataFrame, raw_docs: pl.DataFrame) -> dg.AssetCheckResult:
    """Every document has chunks, ids are unique, and each chunk's text is its document's text at its offsets."""
    docs = dict(raw_docs.select("doc_id", "text").iter_rows())
    missing_docs = len(set(docs) - set(chunks["doc_id"].to_list()))
    bad_offsets = sum(
        1
        for doc_id, start, end, text in chunks.select("doc_id", "start_char", "end_char", "text").iter_rows()
        if docs.get(doc_id, "")[start:end] != text
    )
    dup_ids = chunks.height - chunks["chunk_id"].n_unique()
    return dg.AssetCheckResult(
        passed=missing_docs == bad_offsets == dup_ids == 0,
        metadata={"documents_without_chunks": missing_docs, "bad_offsets": bad_offsets, "duplicate_ids": dup_ids},
    )

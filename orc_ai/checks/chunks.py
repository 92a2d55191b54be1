"""Gates on chunks."""

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.checks import latest_metadata
from orc_ai.quality.chunks import repeated_text_share


class RepeatedTextConfig(dg.Config):
    max_share: float = Field(
        default=defaults.MAX_REPEATED_CHUNK_SHARE, description="Most chunks whose text stands in another document."
    )


@dg.asset_check(asset="chunks", blocking=True)
def chunks_size_bounds(context: dg.AssetCheckExecutionContext, chunks: pl.DataFrame) -> dg.AssetCheckResult:
    """No empty chunk and none over the token limit the chunks asset ran with."""
    max_tokens = int(latest_metadata(context, "chunks").get("max_tokens", defaults.CHUNK_MAX_TOKENS))
    empty = chunks.filter((pl.col("n_tokens") == 0) | (pl.col("text").str.strip_chars() == "")).height
    oversized = chunks.filter(pl.col("n_tokens") > max_tokens).height
    return dg.AssetCheckResult(
        passed=chunks.height > 0 and empty == 0 and oversized == 0,
        metadata={
            "empty": empty,
            "oversized": oversized,
            "max_tokens": max_tokens,
            "max_tokens_seen": int(chunks["n_tokens"].max() or 0),
        },
    )


@dg.asset_check(asset="chunks", blocking=True)
def chunks_repeated_text(config: RepeatedTextConfig, chunks: pl.DataFrame) -> dg.AssetCheckResult:
    """Few chunks repeat text of another document (headers, footers, disclaimers crowd out real passages)."""
    share = repeated_text_share(chunks)
    return dg.AssetCheckResult(
        passed=share <= config.max_share, metadata={"share": share, "max_share": config.max_share}
    )

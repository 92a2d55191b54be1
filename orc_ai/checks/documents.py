"""Gates on raw_docs."""

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults


class QuarantineRatioConfig(dg.Config):
    max_ratio: float = Field(
        default=defaults.MAX_QUARANTINE_RATIO,
        description="Most quarantined share of all ingested items before the gate fails.",
    )


@dg.asset_check(asset="raw_docs", blocking=True, additional_ins={"quarantined_docs": dg.AssetIn()})
def raw_docs_quarantine_ratio(
    config: QuarantineRatioConfig, raw_docs: pl.DataFrame, quarantined_docs: pl.DataFrame
) -> dg.AssetCheckResult:
    """Quarantined items stay below the configured share of everything read."""
    total = raw_docs.height + quarantined_docs.height
    ratio = quarantined_docs.height / total if total else 1.0
    return dg.AssetCheckResult(
        passed=total > 0 and ratio <= config.max_ratio,
        metadata={
            "ratio": ratio,
            "max_ratio": config.max_ratio,
            "documents": raw_docs.height,
            "quarantined": quarantined_docs.height,
        },
    )


@dg.asset_check(asset="raw_docs", blocking=True)
def raw_docs_unique_ids(raw_docs: pl.DataFrame) -> dg.AssetCheckResult:
    """Document ids and content hashes are unique and no document is empty."""
    dup_ids = raw_docs.height - raw_docs["doc_id"].n_unique()
    dup_content = raw_docs.height - raw_docs["content_hash"].n_unique()
    empty = raw_docs.filter(pl.col("text").str.strip_chars() == "").height
    return dg.AssetCheckResult(
        passed=raw_docs.height > 0 and dup_ids == dup_content == empty == 0,
        metadata={"duplicate_ids": dup_ids, "duplicate_content": dup_content, "empty": empty},
    )

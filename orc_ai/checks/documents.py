"""Gates on raw_docs."""

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.checks import latest_metadata
from orc_ai.quality.text import text_damage


class QuarantineRatioConfig(dg.Config):
    max_ratio: float = Field(
        default=defaults.MAX_QUARANTINE_RATIO,
        description="Most quarantined share of all ingested items before the gate fails.",
    )


class TextQualityConfig(dg.Config):
    max_damaged_share: float = Field(default=defaults.MAX_DAMAGED_DOC_SHARE, description="Most damaged documents.")
    max_bad_chars: float = Field(
        default=defaults.MAX_BAD_CHAR_SHARE, description="A document with more U+FFFD/control/private-use is damaged."
    )
    max_mojibake: float = Field(
        default=defaults.MAX_MOJIBAKE_SHARE, description="A document with more 'Ã©'-like sequences is damaged."
    )
    min_letters: float = Field(
        default=defaults.MIN_LETTER_SHARE, description="A document with fewer letters among visible characters is."
    )


@dg.asset_check(asset="raw_docs", blocking=True)
def raw_docs_quarantine_ratio(
    context: dg.AssetCheckExecutionContext, config: QuarantineRatioConfig, raw_docs: pl.DataFrame
) -> dg.AssetCheckResult:
    """Quarantined items (counted by the same ingest run) stay below the configured share of everything read."""
    quarantined = int(latest_metadata(context, "raw_docs").get("quarantined", 0))
    total = raw_docs.height + quarantined
    ratio = quarantined / total if total else 1.0
    return dg.AssetCheckResult(
        passed=total > 0 and ratio <= config.max_ratio,
        metadata={
            "ratio": ratio,
            "max_ratio": config.max_ratio,
            "documents": raw_docs.height,
            "quarantined": quarantined,
        },
    )


@dg.asset_check(asset="raw_docs", blocking=True)
def raw_docs_text_quality(config: TextQualityConfig, raw_docs: pl.DataFrame) -> dg.AssetCheckResult:
    """Few documents carry encoding damage (mojibake, U+FFFD), PDF garbage (private-use glyphs) or no real text."""
    damaged = []
    for name, text in raw_docs.select("name", "text").iter_rows():
        if text_damage(text).damaged(config.max_bad_chars, config.max_mojibake, config.min_letters):
            damaged.append(name)
    share = len(damaged) / raw_docs.height if raw_docs.height else 1.0
    return dg.AssetCheckResult(
        passed=raw_docs.height > 0 and share <= config.max_damaged_share,
        metadata={"damaged": len(damaged), "share": share, "examples": sorted(damaged)[:10]},
    )

"""Gates on entities and relations."""

from collections import Counter

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.extract.vocabulary import CO_OCCURS
from orc_ai.quality.entities import junk_reason, lowercase_usage, near_duplicate_groups


class EntitiesPerChunkConfig(dg.Config):
    min_mean: float = Field(default=defaults.MIN_ENTITIES_PER_CHUNK, description="Lowest mean entities per chunk.")


class NearDuplicateConfig(dg.Config):
    max_share: float = Field(
        default=defaults.MAX_NEAR_DUPLICATE_SHARE,
        description="Most share of entities that differ from another only by case, separators or a plural.",
    )


class JunkConfig(dg.Config):
    max_share: float = Field(
        default=defaults.MAX_JUNK_ENTITY_SHARE, description="Most share of dates, numbers, generic words, fragments."
    )
    generic_lowercase_share: float = Field(
        default=defaults.GENERIC_WORD_LOWERCASE_SHARE,
        description="A capitalised single word the corpus writes in lower case this often is a generic word.",
    )


class CooccurrenceConfig(dg.Config):
    max_share: float = Field(
        default=defaults.MAX_COOCCURRENCE_SHARE, description="Most share of relations that are only CO_OCCURS."
    )


@dg.asset_check(asset="entities", blocking=False, additional_ins={"chunks": dg.AssetIn()})
def entities_per_chunk(
    config: EntitiesPerChunkConfig, entities: pl.DataFrame, chunks: pl.DataFrame
) -> dg.AssetCheckResult:
    """Warns when extraction finds too few entities per chunk (drift in the extractor or the corpus)."""
    mentions = int(entities["chunk_ids"].list.len().sum() or 0)
    mean = mentions / chunks.height if chunks.height else 0.0
    covered = entities.select(pl.col("chunk_ids").explode()).n_unique() if entities.height else 0
    return dg.AssetCheckResult(
        passed=mean >= config.min_mean,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"mean": mean, "min_mean": config.min_mean, "chunks_with_entities": covered, "chunks": chunks.height},
    )


@dg.asset_check(asset="entities", blocking=True)
def entities_near_duplicates(config: NearDuplicateConfig, entities: pl.DataFrame) -> dg.AssetCheckResult:
    """Resolution left few entities that differ only by case, separators or a plural ('Kafka-Connect' and
    'KafkaConnect'), whatever their types."""
    groups = near_duplicate_groups(entities["name"].to_list())
    extra = sum(len(g) - 1 for g in groups)
    share = extra / entities.height if entities.height else 0.0
    return dg.AssetCheckResult(
        passed=entities.height > 0 and share <= config.max_share,
        metadata={"unmerged": extra, "share": share, "max_share": config.max_share, "examples": groups[:10]},
    )


@dg.asset_check(asset="entities", blocking=True, additional_ins={"chunks": dg.AssetIn()})
def entities_junk_share(config: JunkConfig, entities: pl.DataFrame, chunks: pl.DataFrame) -> dg.AssetCheckResult:
    """Few entities are dates, numbers, generic words ('Done') or fragments ('European de')."""
    usage = lowercase_usage(chunks["text"].to_list())
    reasons = {n: junk_reason(n, usage, config.generic_lowercase_share) for n in entities["name"].to_list()}
    junk = {n: r for n, r in reasons.items() if r}
    share = len(junk) / entities.height if entities.height else 0.0
    return dg.AssetCheckResult(
        passed=entities.height > 0 and share <= config.max_share,
        metadata={
            "junk": len(junk),
            "share": share,
            "max_share": config.max_share,
            "by_reason": dict(Counter(junk.values())),
            "examples": sorted(junk)[:15],
        },
    )


@dg.asset_check(asset="relations", blocking=True)
def relations_typed_share(config: CooccurrenceConfig, relations: pl.DataFrame) -> dg.AssetCheckResult:
    """Enough relations say how two entities relate (DEPENDS_ON, OWNED_BY, ...), not only that they co-occur."""
    cooccurring = relations.filter(pl.col("type") == CO_OCCURS).height
    share = cooccurring / relations.height if relations.height else 0.0
    return dg.AssetCheckResult(
        passed=share <= config.max_share,
        metadata={
            "cooccurrence_share": share,
            "max_share": config.max_share,
            "typed": relations.height - cooccurring,
            "relations": relations.height,
        },
    )

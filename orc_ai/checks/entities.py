"""Gates on entities and relations."""

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.extract.names import name_key


class EntitiesPerChunkConfig(dg.Config):
    min_mean: float = Field(default=defaults.MIN_ENTITIES_PER_CHUNK, description="Lowest mean entities per chunk.")


class DuplicateRateConfig(dg.Config):
    max_rate: float = Field(
        default=defaults.MAX_UNRESOLVED_DUPLICATE_RATE,
        description="Most share of entities whose normalised name is not unique.",
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
def entities_unresolved_duplicates(config: DuplicateRateConfig, entities: pl.DataFrame) -> dg.AssetCheckResult:
    """Resolution left (almost) no two entities with the same normalised name; ids are unique."""
    keys = [name_key(n) for n in entities["name"].to_list()]
    duplicates = len(keys) - len(set(keys))
    rate = duplicates / len(keys) if keys else 0.0
    dup_ids = entities.height - entities["entity_id"].n_unique()
    return dg.AssetCheckResult(
        passed=entities.height > 0 and rate <= config.max_rate and dup_ids == 0,
        metadata={"duplicate_names": duplicates, "rate": rate, "duplicate_ids": dup_ids},
    )


@dg.asset_check(asset="relations", blocking=True, additional_ins={"entities": dg.AssetIn()})
def relations_reference_entities(relations: pl.DataFrame, entities: pl.DataFrame) -> dg.AssetCheckResult:
    """Every relation joins two known entities and keeps at least one evidence chunk."""
    known = entities["entity_id"].implode()
    dangling = relations.filter(~pl.col("source_id").is_in(known) | ~pl.col("target_id").is_in(known)).height
    no_evidence = relations.filter(pl.col("evidence_chunk_ids").list.len() == 0).height
    return dg.AssetCheckResult(
        passed=dangling == no_evidence == 0, metadata={"dangling": dangling, "without_evidence": no_evidence}
    )

"""Gates on the graph store and communities."""

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.graph.communities import level_modularity
from orc_ai.resources.graph_store import GraphStoreResource


class LargestCommunityConfig(dg.Config):
    max_share: float = Field(
        default=defaults.MAX_LARGEST_COMMUNITY_SHARE,
        description="Most share of clustered entities in the largest level-0 community.",
    )


class ModularityConfig(dg.Config):
    min_modularity: float = Field(default=defaults.MIN_MODULARITY, description="Lowest level-0 modularity.")


@dg.asset_check(
    asset="neo4j_graph",
    blocking=True,
    additional_ins={n: dg.AssetIn() for n in ("raw_docs", "chunks", "entities", "relations")},
)
def neo4j_graph_counts_match(
    graph_store: GraphStoreResource,
    raw_docs: pl.DataFrame,
    chunks: pl.DataFrame,
    entities: pl.DataFrame,
    relations: pl.DataFrame,
) -> dg.AssetCheckResult:
    """The store holds exactly as many documents, chunks, entities, relations and mentions as the tables."""
    stats = graph_store.get_store().stats()
    expected = {
        "documents": raw_docs.height,
        "chunks": chunks.height,
        "entities": entities.height,
        "relations": relations.height,
        "mentions": int(entities["chunk_ids"].list.len().sum() or 0),
    }
    actual = {k: getattr(stats, k) for k in expected}
    return dg.AssetCheckResult(
        passed=actual == expected,
        metadata={f"{k}_expected": v for k, v in expected.items()} | {f"{k}_stored": v for k, v in actual.items()},
    )


@dg.asset_check(asset="communities", blocking=True)
def communities_largest_share(config: LargestCommunityConfig, communities: pl.DataFrame) -> dg.AssetCheckResult:
    """No level-0 community swallows the graph (a roster or index page that names everyone makes one)."""
    level0 = communities.filter(pl.col("level") == 0)
    clustered = int(level0["size"].sum() or 0)
    largest = int(level0["size"].max() or 0)
    share = largest / clustered if clustered else 1.0
    return dg.AssetCheckResult(
        passed=clustered > 0 and share <= config.max_share,
        metadata={"largest": largest, "clustered_entities": clustered, "share": share, "max_share": config.max_share},
    )


@dg.asset_check(asset="communities", blocking=True, additional_ins={"relations": dg.AssetIn()})
def communities_modularity(
    config: ModularityConfig, communities: pl.DataFrame, relations: pl.DataFrame
) -> dg.AssetCheckResult:
    """The level-0 partition is clearly better than chance (weighted modularity over the entity graph)."""
    modularity = level_modularity(relations.select("source_id", "target_id", "weight"), communities)
    return dg.AssetCheckResult(
        passed=modularity >= config.min_modularity,
        metadata={"modularity": modularity, "min_modularity": config.min_modularity},
    )

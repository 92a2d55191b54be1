"""Gates on the graph store and communities."""

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.graph.communities import level_modularity
from orc_ai.graph.links import table_stats
from orc_ai.graph.models import GraphStats
from orc_ai.resources.graph_store import GraphStoreResource

_WRITTEN_BY_COMMUNITIES = {"communities", "in_community", "parent"}  # the communities asset writes these later
_WRITTEN_BY_THE_AGENT = {"decisions", "cites", "about", "cites_runs"}  # Decision nodes: not in the KG tables


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
    """The store holds exactly the tables' nodes, links (HAS_CHUNK, NEXT_CHUNK, MENTIONS, relations by type) and
    type labels, and no table row points at a missing node."""
    stats = graph_store.get_store().stats()
    expected = table_stats({"documents": raw_docs, "chunks": chunks, "entities": entities, "relations": relations})
    fields = [f for f in GraphStats.model_fields if f not in _WRITTEN_BY_COMMUNITIES | _WRITTEN_BY_THE_AGENT]
    differ = [f for f in fields if getattr(stats, f) != getattr(expected, f)]
    # relations or mentions naming an entity or chunk that is not in the tables: no store can link them
    mentions = entities.select("entity_id", "chunk_ids").explode("chunk_ids").drop_nulls().unique().height
    dangling = relations.height - expected.relations + mentions - expected.mentions
    return dg.AssetCheckResult(
        passed=not differ and dangling == 0,
        metadata={"differ": differ, "dangling_links": dangling}
        | {f"{f}_expected": getattr(expected, f) for f in fields}
        | {f"{f}_stored": getattr(stats, f) for f in fields},
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

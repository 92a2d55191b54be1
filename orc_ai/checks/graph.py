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


class CoverageConfig(dg.Config):
    min_coverage: float = Field(
        default=defaults.MIN_COMMUNITY_COVERAGE, description="Least share of related entities in a level-0 community."
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
    fields = [f for f in GraphStats.model_fields if f not in _WRITTEN_BY_COMMUNITIES]
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


@dg.asset_check(asset="communities", blocking=True, additional_ins={"relations": dg.AssetIn()})
def communities_coverage(
    config: CoverageConfig, communities: pl.DataFrame, relations: pl.DataFrame
) -> dg.AssetCheckResult:
    """Each entity that has a relation belongs to one level-0 community; every child's parent exists."""
    related = set(relations["source_id"].to_list()) | set(relations["target_id"].to_list())
    level0 = communities.filter(pl.col("level") == 0)
    members = [m for ms in level0["entity_ids"].to_list() for m in ms]
    coverage = len(related & set(members)) / len(related) if related else 1.0
    ids = set(communities["community_id"].to_list())
    orphans = communities.filter(pl.col("parent_id").is_not_null() & ~pl.col("parent_id").is_in(list(ids))).height
    return dg.AssetCheckResult(
        passed=coverage >= config.min_coverage and len(members) == len(set(members)) and orphans == 0,
        metadata={
            "coverage": coverage,
            "entities_in_level0": len(members),
            "related_entities": len(related),
            "orphan_children": orphans,
        },
    )


@dg.asset_check(asset="communities", blocking=False, additional_ins={"relations": dg.AssetIn()})
def communities_modularity(
    config: ModularityConfig, communities: pl.DataFrame, relations: pl.DataFrame
) -> dg.AssetCheckResult:
    """Warns when the level-0 partition is barely better than chance."""
    modularity = level_modularity(relations.select("source_id", "target_id", "weight"), communities)
    return dg.AssetCheckResult(
        passed=modularity >= config.min_modularity,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"modularity": modularity, "min_modularity": config.min_modularity},
    )

"""communities: hierarchical Leiden over the stored entity graph, with a summary per community."""

from typing import Literal

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.assets import KNOWLEDGE_GRAPH, downstream_automation
from orc_ai.graph.communities import cluster_from_levels, cluster_graph
from orc_ai.graph.summaries import summarise_communities
from orc_ai.resources.graph_store import GraphStoreResource
from orc_ai.resources.llm import LLMResource


class CommunitiesConfig(dg.Config):
    algorithm: Literal["leidenalg", "gds"] = Field(
        default=defaults.COMMUNITY_ALGORITHM,
        description="leidenalg: Leiden in this process, on any store. gds: Leiden inside Neo4j (Graph Data Science "
        "plugin; the Neo4j store only), levels from its intermediate communities.",
    )
    max_cluster_size: int = Field(default=defaults.LEIDEN_MAX_CLUSTER_SIZE, description="Split larger communities.")
    max_levels: int = Field(default=defaults.LEIDEN_MAX_LEVELS, description="Depth of the hierarchy.")
    seed: int = Field(default=defaults.LEIDEN_SEED, description="Leiden random seed (fixed: reproducible runs).")
    resolution: float = Field(default=defaults.LEIDEN_RESOLUTION, description="Leiden resolution parameter.")
    llm_summaries: bool = Field(default=True, description="Use the llm resource for summaries when configured.")


@dg.asset(group_name=KNOWLEDGE_GRAPH, automation_condition=downstream_automation(), deps=["neo4j_graph"])
def communities(
    context: dg.AssetExecutionContext,
    config: CommunitiesConfig,
    graph_store: GraphStoreResource,
    llm: LLMResource,
    entities: pl.DataFrame,
    relations: pl.DataFrame,
    chunks: pl.DataFrame,
) -> dg.Output[pl.DataFrame]:
    """Communities at several levels with parent links, titles and summaries, written back to the store."""
    store = graph_store.get_store()
    edges = store.entity_edges()
    if config.algorithm == "gds":
        levels = store.leiden_levels(config.seed, config.resolution)
        clustering = cluster_from_levels(
            levels, edges, config.max_cluster_size, config.max_levels, config.seed, config.resolution
        )
    else:
        clustering = cluster_graph(edges, config.max_cluster_size, config.max_levels, config.seed, config.resolution)
    if config.llm_summaries and llm.enabled:
        with llm.get_client(context) as client:
            table, rejected = summarise_communities(
                clustering.communities, entities, relations, chunks, client, llm.model
            )
    else:
        table, rejected = summarise_communities(clustering.communities, entities, relations, chunks)
    store.write_communities(table)
    return dg.Output(
        table,
        metadata={
            "algorithm": config.algorithm,
            "communities": table.height,
            "levels": clustering.levels,
            "modularity": clustering.modularity,
            "clustered_entities": clustering.clustered_entities,
            "llm_summaries_rejected": rejected,
            "by_level": dict(table.group_by("level").len().sort("level").rows()) if table.height else {},
        },
    )

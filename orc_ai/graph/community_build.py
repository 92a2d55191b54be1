"""The communities step from plain values: cluster the stored entity graph, summarise, write back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from orc_ai import defaults
from orc_ai.graph.communities import Clustering, cluster_from_levels, cluster_graph
from orc_ai.graph.store import GraphStore
from orc_ai.graph.summaries import LlmSummariser, SummaryStats, summarise_communities

CommunityAlgorithm = Literal["leidenalg", "gds"]


@dataclass
class CommunityBuild:
    """The community table as written to the store, its clustering and what the summaries cost."""

    table: pl.DataFrame
    clustering: Clustering
    summaries: SummaryStats
    algorithm: str

    def metadata(self) -> dict[str, Any]:
        by_level = dict(self.table.group_by("level").len().sort("level").rows()) if self.table.height else {}
        return {
            "algorithm": self.algorithm,
            "communities": self.table.height,
            "levels": self.clustering.levels,
            "modularity": self.clustering.modularity,
            "clustered_entities": self.clustering.clustered_entities,
            **self.summaries.metadata(),
            "by_level": by_level,
        }


def build_communities(
    store: GraphStore,
    entities: pl.DataFrame,
    relations: pl.DataFrame,
    chunks: pl.DataFrame,
    *,
    algorithm: CommunityAlgorithm = defaults.COMMUNITY_ALGORITHM,
    max_cluster_size: int = defaults.LEIDEN_MAX_CLUSTER_SIZE,
    max_levels: int = defaults.LEIDEN_MAX_LEVELS,
    seed: int = defaults.LEIDEN_SEED,
    resolution: float = defaults.LEIDEN_RESOLUTION,
    summariser: LlmSummariser | None = None,
) -> CommunityBuild:
    """Leiden in this process (``leidenalg``) or inside Neo4j (``gds``), titles and summaries (the LLM's when a
    ``summariser`` is given, else extractive), then replace the store's communities with the result."""
    edges = store.entity_edges()
    if algorithm == "gds":
        levels = store.leiden_levels(seed, resolution)
        clustering = cluster_from_levels(levels, edges, max_cluster_size, max_levels, seed, resolution)
    else:
        clustering = cluster_graph(edges, max_cluster_size, max_levels, seed, resolution)
    table, stats = summarise_communities(clustering.communities, entities, relations, chunks, summariser)
    store.write_communities(table)
    return CommunityBuild(table, clustering, stats, algorithm)

"""Hierarchical Leiden communities on the entity graph (large communities are split again, level by level)."""

from __future__ import annotations

from dataclasses import dataclass

import igraph as ig
import leidenalg
import polars as pl

from orc_ai.hashing import stable_hash

_MIN_WEIGHT = 1e-9

COMMUNITY_SCHEMA = {
    "community_id": pl.String,
    "level": pl.Int64,
    "parent_id": pl.String,
    "entity_ids": pl.List(pl.String),
    "size": pl.Int64,
}


@dataclass
class Clustering:
    communities: pl.DataFrame
    modularity: float
    levels: int
    clustered_entities: int


def _undirected(edges: pl.DataFrame) -> pl.DataFrame:
    """One edge per entity pair with summed positive weight, sorted for a deterministic graph."""
    return (
        edges.with_columns(
            pl.min_horizontal("source_id", "target_id").alias("a"),
            pl.max_horizontal("source_id", "target_id").alias("b"),
            pl.col("weight").clip(lower_bound=_MIN_WEIGHT),
        )
        .filter(pl.col("a") != pl.col("b"))
        .group_by("a", "b")
        .agg(pl.col("weight").sum())
        .sort("a", "b")
    )


def _leiden(graph: ig.Graph, seed: int, resolution: float) -> list[int]:
    partition = leidenalg.find_partition(
        graph,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=resolution,
        seed=seed,
        n_iterations=2,
    )
    return list(partition.membership)


def cluster_graph(
    edges: pl.DataFrame, max_cluster_size: int = 12, max_levels: int = 3, seed: int = 42, resolution: float = 1.0
) -> Clustering:
    """Level 0 partitions the whole graph; a community larger than ``max_cluster_size`` is re-clustered on its
    own subgraph into children one level down, up to ``max_levels`` levels."""
    pairs = _undirected(edges)
    names = sorted(set(pairs["a"].to_list()) | set(pairs["b"].to_list()))
    if not names:
        return Clustering(pl.DataFrame(schema=COMMUNITY_SCHEMA), 0.0, 0, 0)
    index = {n: i for i, n in enumerate(names)}
    graph = ig.Graph(n=len(names), edges=[(index[a], index[b]) for a, b in pairs.select("a", "b").iter_rows()])
    graph.vs["name"] = names
    graph.es["weight"] = pairs["weight"].to_list()

    membership = _leiden(graph, seed, resolution)
    modularity = graph.modularity(membership, weights="weight")
    rows: list[dict] = []
    queue: list[tuple[int, str | None, list[int]]] = []
    for members in _groups(membership):
        queue.append((0, None, members))
    while queue:
        level, parent, members = queue.pop(0)
        member_names = sorted(names[v] for v in members)
        community_id = stable_hash("community", str(level), *member_names)
        rows.append(
            {
                "community_id": community_id,
                "level": level,
                "parent_id": parent,
                "entity_ids": member_names,
                "size": len(members),
            }
        )
        if len(members) > max_cluster_size and level + 1 < max_levels:
            sub = graph.induced_subgraph(sorted(members))
            sub_membership = _leiden(sub, seed, resolution)
            if len(set(sub_membership)) > 1:
                sub_ids = [index[n] for n in sub.vs["name"]]
                for child in _groups(sub_membership):
                    queue.append((level + 1, community_id, [sub_ids[v] for v in child]))
    frame = pl.DataFrame(rows, schema=COMMUNITY_SCHEMA).sort("level", "community_id")
    return Clustering(frame, float(modularity), int(frame["level"].max()) + 1, len(names))


def _groups(membership: list[int]) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for vertex, community in enumerate(membership):
        groups.setdefault(community, []).append(vertex)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def level_modularity(edges: pl.DataFrame, communities: pl.DataFrame, level: int = 0) -> float:
    """Weighted modularity of one level's partition over the entity graph it was computed on."""
    pairs = _undirected(edges)
    names = sorted(set(pairs["a"].to_list()) | set(pairs["b"].to_list()))
    if not names:
        return 0.0
    index = {n: i for i, n in enumerate(names)}
    membership = [-1] * len(names)
    level_rows = communities.filter(pl.col("level") == level)
    for number, members in enumerate(level_rows["entity_ids"].to_list()):
        for member in members:
            if member in index:
                membership[index[member]] = number
    next_id = level_rows.height
    for i, m in enumerate(membership):  # entities missing from the partition count as singletons
        if m == -1:
            membership[i], next_id = next_id, next_id + 1
    graph = ig.Graph(n=len(names), edges=[(index[a], index[b]) for a, b in pairs.select("a", "b").iter_rows()])
    return float(graph.modularity(membership, weights=pairs["weight"].to_list()))

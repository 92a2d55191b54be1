"""Hierarchical Leiden communities on the entity graph (large communities are split again, level by level).

Leiden runs here (leidenalg) or in Neo4j (GDS); both give a community table of the same shape."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from orc_ai.graph.models import MIN_EDGE_WEIGHT
from orc_ai.hashing import stable_hash

if TYPE_CHECKING:
    import igraph as ig

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
            pl.col("weight").fill_null(MIN_EDGE_WEIGHT).clip(lower_bound=MIN_EDGE_WEIGHT),
        )
        .filter(pl.col("a") != pl.col("b"))
        .group_by("a", "b")
        .agg(pl.col("weight").sum())
        .sort("a", "b")
    )


def _leiden(graph: ig.Graph, seed: int, resolution: float) -> list[int]:
    import leidenalg

    partition = leidenalg.find_partition(
        graph,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=resolution,
        seed=seed,
        n_iterations=2,
    )
    return list(partition.membership)


def _entity_graph(edges: pl.DataFrame) -> ig.Graph | None:
    """Undirected weighted igraph of the entity relations, vertices named and sorted by entity id."""
    import igraph as ig

    pairs = _undirected(edges)
    names = sorted(set(pairs["a"].to_list()) | set(pairs["b"].to_list()))
    if not names:
        return None
    index = {n: i for i, n in enumerate(names)}
    graph = ig.Graph(n=len(names), edges=[(index[a], index[b]) for a, b in pairs.select("a", "b").iter_rows()])
    graph.vs["name"] = names
    graph.es["weight"] = pairs["weight"].to_list()
    return graph


def _leiden_split(graph: ig.Graph, seed: int, resolution: float) -> Callable[[list[str]], list[list[str]]]:
    """Splits a community by running Leiden on its own subgraph."""
    index = {n: i for i, n in enumerate(graph.vs["name"])}

    def split(members: list[str]) -> list[list[str]]:
        vertices = sorted(index[m] for m in members if m in index)
        if len(vertices) < 2:
            return [members]
        sub = graph.induced_subgraph(vertices)
        return _named_groups(sub.vs["name"], _leiden(sub, seed, resolution))

    return split


def cluster_graph(
    edges: pl.DataFrame, max_cluster_size: int = 12, max_levels: int = 3, seed: int = 42, resolution: float = 1.0
) -> Clustering:
    """Level 0 partitions the whole graph; a community larger than ``max_cluster_size`` is re-clustered on its
    own subgraph into children one level down, up to ``max_levels`` levels."""
    graph = _entity_graph(edges)
    if graph is None:
        return Clustering(pl.DataFrame(schema=COMMUNITY_SCHEMA), 0.0, 0, 0)
    membership = _leiden(graph, seed, resolution)
    modularity = graph.modularity(membership, weights="weight")
    top = _named_groups(graph.vs["name"], membership)
    frame = _hierarchy(top, _leiden_split(graph, seed, resolution), max_cluster_size, max_levels)
    return Clustering(frame, float(modularity), int(frame["level"].max()) + 1, graph.vcount())


def cluster_from_levels(
    levels: pl.DataFrame,
    edges: pl.DataFrame,
    max_cluster_size: int = 12,
    max_levels: int = 3,
    seed: int = 42,
    resolution: float = 1.0,
) -> Clustering:
    """The same kind of hierarchy from Leiden run elsewhere (Neo4j GDS): ``levels`` has ``entity_id`` and
    ``community_ids``, one id per aggregation level from finest to coarsest. Level 0 is the coarsest partition.
    A community larger than ``max_cluster_size`` gets as children the first finer level's groups of its members;
    where no finer level splits it, its subgraph is split in-process as ``cluster_graph`` does."""
    if levels.is_empty():
        return Clustering(pl.DataFrame(schema=COMMUNITY_SCHEMA), 0.0, 0, 0)
    names = levels["entity_id"].to_list()
    # coarsest first; every row has the same number of levels
    memberships = {n: list(reversed(ids)) for n, ids in zip(names, levels["community_ids"].to_list(), strict=True)}
    graph = _entity_graph(edges)
    leiden_split = _leiden_split(graph, seed, resolution) if graph is not None else lambda members: [members]

    def groups_at(depth: int, members: list[str]) -> list[list[str]]:
        groups: dict[int, list[str]] = {}
        for member in members:
            groups.setdefault(memberships[member][depth], []).append(member)
        return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))

    def split(members: list[str]) -> list[list[str]]:
        for depth in range(1, len(memberships[members[0]])):
            # GDS reports each level's partition before refinement, so levels need not nest: group only these
            groups = groups_at(depth, members)
            if len(groups) > 1:
                return groups
        return leiden_split(members)

    frame = _hierarchy(groups_at(0, sorted(names)), split, max_cluster_size, max_levels)
    return Clustering(frame, level_modularity(edges, frame), int(frame["level"].max()) + 1, len(names))


def _hierarchy(
    top: list[list[str]], split: Callable[[list[str]], list[list[str]]], max_cluster_size: int, max_levels: int
) -> pl.DataFrame:
    """Community rows, breadth first: ``top`` groups at level 0, large groups split by ``split`` below them."""
    rows: list[dict] = []
    queue: deque[tuple[int, str | None, list[str]]] = deque((0, None, members) for members in top)
    while queue:
        level, parent, members = queue.popleft()
        members = sorted(members)
        community_id = stable_hash("community", str(level), *members)
        rows.append(
            {
                "community_id": community_id,
                "level": level,
                "parent_id": parent,
                "entity_ids": members,
                "size": len(members),
            }
        )
        if len(members) > max_cluster_size and level + 1 < max_levels:
            children = split(members)
            if len(children) > 1:
                queue.extend((level + 1, community_id, child) for child in children)
    return pl.DataFrame(rows, schema=COMMUNITY_SCHEMA).sort("level", "community_id")


def _named_groups(names: list[str], membership: list[int]) -> list[list[str]]:
    return [[names[v] for v in group] for group in _groups(membership)]


def _groups(membership: list[int]) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for vertex, community in enumerate(membership):
        groups.setdefault(community, []).append(vertex)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def level_modularity(edges: pl.DataFrame, communities: pl.DataFrame, level: int = 0) -> float:
    """Weighted modularity of one level's partition over the entity graph it was computed on."""
    graph = _entity_graph(edges)
    if graph is None:
        return 0.0
    index = {n: i for i, n in enumerate(graph.vs["name"])}
    membership = [-1] * graph.vcount()
    level_rows = communities.filter(pl.col("level") == level)
    for number, members in enumerate(level_rows["entity_ids"].to_list()):
        for member in members:
            if member in index:
                membership[index[member]] = number
    next_id = level_rows.height
    for i, m in enumerate(membership):  # entities missing from the partition count as singletons
        if m == -1:
            membership[i], next_id = next_id, next_id + 1
    return float(graph.modularity(membership, weights="weight"))

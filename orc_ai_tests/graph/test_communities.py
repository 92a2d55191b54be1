import polars as pl

from orc_ai.graph.communities import cluster_graph, level_modularity


def _cliques(n_cliques: int, size: int) -> pl.DataFrame:
    rows = []
    for c in range(n_cliques):
        members = [f"n{c}_{i}" for i in range(size)]
        rows += [(a, b, 1.0) for i, a in enumerate(members) for b in members[i + 1 :]]
        rows.append((members[0], f"n{(c + 1) % n_cliques}_0", 0.1))  # weak bridge to the next clique
    return pl.DataFrame(rows, schema=["source_id", "target_id", "weight"], orient="row")


def test_leiden_finds_the_planted_cliques_with_high_modularity() -> None:
    result = cluster_graph(_cliques(4, 6), max_cluster_size=10)
    level0 = result.communities.filter(pl.col("level") == 0)
    groups = sorted(sorted({m.split("_")[0] for m in ms}) for ms in level0["entity_ids"].to_list())
    assert groups == [["n0"], ["n1"], ["n2"], ["n3"]]
    assert result.modularity > 0.6
    assert level_modularity(_cliques(4, 6), result.communities) == result.modularity


def test_large_communities_are_split_into_children_with_parents() -> None:
    # a ring of many small cliques: modularity's resolution limit merges neighbours at level 0
    edges = _cliques(30, 5).with_columns(pl.lit(1.0).alias("weight"))
    table = cluster_graph(edges, max_cluster_size=6).communities
    level0 = table.filter(pl.col("level") == 0)
    assert level0["size"].max() > 6
    children = table.filter(pl.col("level") == 1)
    assert children.height >= 2 and children["size"].max() <= 6
    assert set(children["parent_id"].to_list()) <= set(level0["community_id"].to_list())
    for parent_id, members in level0.select("community_id", "entity_ids").iter_rows():
        kids = children.filter(pl.col("parent_id") == parent_id)["entity_ids"].to_list()
        if kids:
            assert sorted(m for k in kids for m in k) == sorted(members)


def test_clustering_is_deterministic_for_a_seed() -> None:
    a = cluster_graph(_cliques(5, 5), seed=7).communities
    b = cluster_graph(_cliques(5, 5).reverse(), seed=7).communities
    assert a.equals(b)

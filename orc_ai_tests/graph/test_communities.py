import polars as pl
import pytest

from orc_ai.graph.communities import cluster_from_levels, cluster_graph, level_modularity


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


def _levels(rows: dict[str, list[int]]) -> pl.DataFrame:
    return pl.DataFrame(
        {"entity_id": list(rows), "community_ids": list(rows.values())},
        schema={"entity_id": pl.String, "community_ids": pl.List(pl.Int64)},
    )


def test_levels_from_elsewhere_become_the_same_nested_hierarchy() -> None:
    # ids per entity from finest to coarsest, as GDS Leiden streams its intermediate communities
    levels = _levels(
        {
            "a": [1, 10, 100],
            "b": [1, 10, 100],
            "c": [2, 10, 100],
            "d": [3, 11, 100],
            "e": [4, 12, 200],
            "f": [4, 12, 200],
        }
    )
    edges = pl.DataFrame(
        [("a", "b", 1.0), ("b", "c", 1.0), ("c", "d", 1.0), ("e", "f", 1.0)],
        schema=["source_id", "target_id", "weight"],
        orient="row",
    )
    result = cluster_from_levels(levels, edges, max_cluster_size=2, max_levels=3)
    table = result.communities
    by_members = {tuple(r["entity_ids"]): r for r in table.iter_rows(named=True)}
    assert sorted(table.filter(pl.col("level") == 0)["entity_ids"].to_list()) == [["a", "b", "c", "d"], ["e", "f"]]
    # {a,b,c,d} splits at the middle level; {a,b,c} at the finest; {e,f} is small enough to stay whole
    assert by_members[("a", "b", "c")]["level"] == 1 and by_members[("d",)]["level"] == 1
    assert by_members[("a", "b")]["level"] == 2 and by_members[("c",)]["level"] == 2
    assert by_members[("a", "b")]["parent_id"] == by_members[("a", "b", "c")]["community_id"]
    assert by_members[("a", "b", "c")]["parent_id"] == by_members[("a", "b", "c", "d")]["community_id"]
    assert result.levels == 3 and result.clustered_entities == 6
    # level 0 {a,b,c,d} {e,f} on the path a-b-c-d plus e-f (m = 4): (3/4 - (6/8)^2) + (1/4 - (2/8)^2)
    assert result.modularity == pytest.approx(0.375)


def test_levels_that_do_not_split_are_skipped_and_depth_is_capped() -> None:
    levels = _levels({"a": [1, 5, 5, 9], "b": [1, 5, 5, 9], "c": [2, 5, 5, 9], "d": [3, 6, 6, 9]})
    edges = pl.DataFrame(
        [("a", "b", 1.0), ("b", "c", 1.0), ("c", "d", 1.0)], schema=["source_id", "target_id", "weight"], orient="row"
    )
    deep = cluster_from_levels(levels, edges, max_cluster_size=1, max_levels=5).communities
    # ids 9 are level 0; 5/6 split it into {a,b,c} and {d}; the next level repeats 5/6 and is skipped, so
    # {a,b,c} takes the finest level, which splits it into {a,b} and {c}
    assert sorted(deep.filter(pl.col("level") == 1)["entity_ids"].to_list()) == [["a", "b", "c"], ["d"]]
    assert sorted(deep.filter(pl.col("level") == 2)["entity_ids"].to_list()) == [["a", "b"], ["c"]]
    capped = cluster_from_levels(levels, edges, max_cluster_size=1, max_levels=2).communities
    assert capped["level"].max() == 1 and capped.height == 3


def test_a_large_community_no_finer_level_splits_is_split_in_process() -> None:
    edges = _cliques(2, 5)
    names = sorted(set(edges["source_id"]) | set(edges["target_id"]))
    one_level = _levels({n: [7] for n in names})  # Leiden elsewhere put everything in one community
    table = cluster_from_levels(one_level, edges, max_cluster_size=6).communities
    children = table.filter(pl.col("level") == 1)["entity_ids"].to_list()
    assert sorted({m.split("_")[0] for m in c} for c in children) == [{"n0"}, {"n1"}]

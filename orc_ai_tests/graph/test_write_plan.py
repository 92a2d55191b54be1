import itertools

import numpy as np
import polars as pl
import pytest

from orc_ai.graph.write_plan import _round_robin, bucket_rounds


def _edges(n_nodes: int, n_edges: int, seed: int = 0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "relation_id": [f"r{i}" for i in range(n_edges)],
            "source_id": [f"e{i}" for i in rng.integers(0, n_nodes, n_edges)],
            "target_id": [f"e{i}" for i in rng.integers(0, n_nodes, n_edges)],
        }
    )


def _all_rows(rounds) -> pl.DataFrame:
    return pl.concat([bucket for buckets in rounds for bucket in buckets])


@pytest.mark.parametrize("workers", [2, 3, 4])
def test_relationship_buckets_of_a_round_touch_disjoint_nodes(workers: int) -> None:
    edges = _edges(500, 5000)
    rounds = bucket_rounds(edges, ["source_id", "target_id"], workers)
    assert _all_rows(rounds).sort("relation_id").equals(edges.sort("relation_id"))  # each row exactly once
    assert max(len(buckets) for buckets in rounds) == 2 * workers  # the diagonal round
    for buckets in rounds:
        node_sets = [set(b["source_id"]) | set(b["target_id"]) for b in buckets]
        for a, b in itertools.combinations(node_sets, 2):
            assert not a & b


def test_bipartite_buckets_are_disjoint_on_each_side() -> None:
    mentions = _edges(300, 3000).rename({"source_id": "chunk_id", "target_id": "entity_id"})
    rounds = bucket_rounds(mentions, ["chunk_id", "entity_id"], workers=3, same_nodes=False)
    assert len(rounds) == 3 and _all_rows(rounds).height == mentions.height
    for buckets in rounds:
        for a, b in itertools.combinations(buckets, 2):
            assert not set(a["chunk_id"]) & set(b["chunk_id"])
            assert not set(a["entity_id"]) & set(b["entity_id"])


def test_rows_locking_one_node_are_split_by_that_node_and_keep_their_order() -> None:
    chunks = pl.DataFrame({"chunk_id": [f"c{i}" for i in range(100)], "doc_id": [f"d{i % 7}" for i in range(100)]})
    (buckets,) = bucket_rounds(chunks, ["doc_id"], workers=3)
    assert sum(b.height for b in buckets) == 100
    for a, b in itertools.combinations(buckets, 2):
        assert not set(a["doc_id"]) & set(b["doc_id"])
    for bucket in buckets:
        assert bucket["chunk_id"].to_list() == sorted(bucket["chunk_id"].to_list(), key=lambda c: int(c[1:]))


def test_independent_rows_are_sliced_and_one_writer_gets_everything_in_order() -> None:
    rows = pl.DataFrame({"entity_id": [f"e{i}" for i in range(10)]})
    assert [b.height for b in bucket_rounds(rows, workers=3)[0]] == [4, 4, 2]
    assert bucket_rounds(_edges(10, 50), ["source_id", "target_id"], workers=1)[0][0].equals(_edges(10, 50))
    assert bucket_rounds(rows.clear(), workers=3) == []


def test_round_robin_meets_every_pair_once() -> None:
    rounds = _round_robin(6)
    assert len(rounds) == 5
    assert sorted(pair for r in rounds for pair in r) == list(itertools.combinations(range(6), 2))
    for r in rounds:
        assert sorted(t for pair in r for t in pair) == list(range(6))

"""Weighted reciprocal-rank fusion."""

from __future__ import annotations

import pytest

from orc_ai.retrieve.fusion import reciprocal_rank_fusion


def test_ranks_add_up_as_weighted_reciprocals() -> None:
    fused = reciprocal_rank_fusion({"dense": ["a", "b", "c"], "bm25": ["c", "a"]}, {"dense": 1.0, "bm25": 2.0}, k=10)
    scores = {item: (score, ranks) for item, score, ranks in fused}
    assert scores["a"] == (pytest.approx(1 / 11 + 2 / 12), {"dense": 1, "bm25": 2})
    assert scores["c"] == (pytest.approx(1 / 13 + 2 / 11), {"dense": 3, "bm25": 1})
    assert scores["b"] == (pytest.approx(1 / 12), {"dense": 2})
    assert [item for item, _, _ in fused] == ["c", "a", "b"]


def test_an_item_found_by_two_components_beats_one_found_by_one_at_the_same_rank() -> None:
    fused = reciprocal_rank_fusion({"dense": ["x", "y"], "ppr": ["y", "z"]})
    assert [item for item, _, _ in fused][0] == "y"


def test_ties_are_broken_by_id_and_a_repeated_id_counts_once() -> None:
    fused = reciprocal_rank_fusion({"dense": ["b", "b", "d"], "bm25": ["a", "d"]}, k=60)
    assert [item for item, _, _ in fused] == ["d", "a", "b"]
    assert dict((item, ranks) for item, _, ranks in fused)["d"] == {"dense": 2, "bm25": 2}

"""Weighted reciprocal-rank fusion (Cormack, Clarke and Büttcher 2009)."""

from __future__ import annotations


def reciprocal_rank_fusion(
    rankings: dict[str, list[str]], weights: dict[str, float] | None = None, k: int = 60
) -> list[tuple[str, float, dict[str, int]]]:
    """Fuse ranked id lists: score(id) = Σ_component weight / (k + rank), rank counted from 1.

    Returns (id, score, {component: rank}) best first; equal scores are ordered by id so the result is stable."""
    scores: dict[str, float] = {}
    ranks: dict[str, dict[str, int]] = {}
    for component, ids in rankings.items():
        weight = 1.0 if weights is None else weights.get(component, 1.0)
        for rank, item in enumerate(dict.fromkeys(ids), start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
            ranks.setdefault(item, {})[component] = rank
    order = sorted(scores, key=lambda item: (-scores[item], item))
    return [(item, scores[item], ranks[item]) for item in order]

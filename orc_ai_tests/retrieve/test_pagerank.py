"""The sparse Personalized PageRank solver against igraph's (PRPACK) on the corpus's real entity–chunk graph and on
small graphs with the awkward cases: isolated seeds, several components, edges given twice."""

from __future__ import annotations

import igraph as ig
import numpy as np
import pytest

from orc_ai.retrieve.pagerank import UndirectedPageRank
from orc_ai.retrieve.ppr import PprGraph
from orc_ai.retrieve.retriever import Retriever
from orc_ai_tests.retrieve.conftest import Corpus
from orc_ai_tests.retrieve.test_retriever import QUESTIONS

IGRAPH_TOLERANCE = 1e-9  # PRPACK itself stops near 1e-10 (L1)


def _igraph(n: int, edges: list[tuple[int, int]], reset: np.ndarray, damping: float) -> np.ndarray:
    graph = ig.Graph(n=n, edges=edges, directed=False)
    graph.simplify()
    return np.asarray(graph.personalized_pagerank(damping=damping, reset=reset.tolist(), directed=False))


def _assert_same_ranking(ours: list[tuple[int, float]], reference: np.ndarray, k: int, tol: float) -> None:
    """``ours`` is the reference's top ``k`` up to ties within ``tol``: in reference order, and nothing left out
    that the reference scores above the last kept item by more than ``tol``."""
    ids = [i for i, _ in ours]
    scores = reference[ids]
    assert np.all(np.diff(scores) <= tol), "out of the reference's order"
    left_out = np.setdiff1d(np.arange(len(reference)), ids)
    if len(ids) == k and len(left_out):
        assert reference[left_out].max() <= scores[-1] + tol, "a better chunk left out"


@pytest.fixture(scope="module")
def ppr_graph(corpus: Corpus) -> PprGraph:
    return PprGraph(
        sorted(corpus.tables.chunks["chunk_id"].to_list()), corpus.tables.entities, corpus.tables.relations, True
    )


def _entity_resets(graph: PprGraph, count: int) -> list[np.ndarray]:
    rng = np.random.default_rng(3)
    entity_ids = sorted(graph.entity_index)
    resets = []
    for _ in range(count):
        picked = rng.choice(entity_ids, size=min(3, len(entity_ids)), replace=False)
        chunks = rng.choice(graph.chunk_ids, size=5, replace=False)
        entity_scores = {e: float(rng.uniform(0.2, 1)) for e in picked}
        resets.append(graph.seeds(entity_scores, {c: float(rng.uniform()) for c in chunks}, 0.05))
    return resets


@pytest.mark.parametrize("damping", [0.15, 0.5, 0.85])
def test_matches_igraph_on_the_corpus_graph(ppr_graph: PprGraph, damping: float) -> None:
    assert len(ppr_graph.edges) > 100 and ppr_graph.n_chunks > 20
    for reset in _entity_resets(ppr_graph, 12):
        ours = ppr_graph.pagerank.solve(reset, damping, 1e-10)
        reference = _igraph(ppr_graph.n_nodes, ppr_graph.edges, reset, damping)
        assert np.abs(ours - reference).sum() <= IGRAPH_TOLERANCE
        ranked = [(ppr_graph.chunk_index[c], s) for c, s in ppr_graph.rank(reset, damping, 10)]
        _assert_same_ranking(ranked, reference[: ppr_graph.n_chunks], 10, IGRAPH_TOLERANCE)


def test_the_retrievers_ppr_ranking_is_igraphs(corpus: Corpus) -> None:
    retriever = Retriever.build(corpus.store, corpus.embedder, corpus.tables, cache=corpus.sentences)
    graph, resets = retriever.graph, []
    solve = graph.pagerank.solve

    def recording(reset: np.ndarray, damping: float, tolerance: float) -> np.ndarray:
        resets.append((reset.copy(), damping))
        return solve(reset, damping, tolerance)

    graph.pagerank.solve = recording
    for question in QUESTIONS:
        rankings, _, _ = retriever.rankings(question)
        reset, damping = resets[-2]  # the first round's (the second round's is resets[-1])
        reference = _igraph(graph.n_nodes, graph.edges, reset, damping)[: graph.n_chunks]
        ranked = [(graph.chunk_index[c], 0.0) for c in rankings["ppr"]]
        _assert_same_ranking(ranked, reference, retriever.config.candidates, IGRAPH_TOLERANCE)
    assert len(resets) == 2 * len(QUESTIONS)


def test_isolated_seeds_components_and_repeated_edges_as_igraph() -> None:
    # 0-1-2 path, 3 isolated, 4-5 a second component, edge (1, 2) given twice and once reversed
    edges = [(0, 1), (1, 2), (1, 2), (2, 1), (4, 5)]
    pagerank = UndirectedPageRank(6, edges)
    for reset in ([1, 0, 0, 1, 0, 0], [0, 0, 0, 1, 0, 0], [0, 0, 1, 0, 2, 0], [0.3, 0.1, 0, 0, 0, 0.6]):
        reset = np.asarray(reset, dtype=np.float64)
        for damping in (0.0, 0.5, 0.85):
            ours = pagerank.solve(reset, damping, 1e-12)
            assert ours.sum() == pytest.approx(1.0)
            np.testing.assert_allclose(ours, _igraph(6, edges, reset, damping), atol=1e-10)


def test_the_iteration_count_bounds_the_error() -> None:
    rng = np.random.default_rng(11)
    n = 400
    edges = sorted({tuple(sorted(e)) for e in rng.integers(0, n, size=(1200, 2)).tolist() if e[0] != e[1]})
    pagerank = UndirectedPageRank(n, edges)
    reset = np.zeros(n)
    reset[rng.choice(n, 4, replace=False)] = 1.0
    exact = pagerank.solve(reset, 0.5, 1e-14)
    steps = []
    for tolerance in (1e-2, 1e-4, 1e-6, 1e-8):
        steps.append(pagerank.iterations(0.5, tolerance))
        assert np.abs(pagerank.solve(reset, 0.5, tolerance) - exact).sum() <= tolerance
    assert steps == sorted(steps) and steps[0] < steps[-1]
    # fewer matrix products than power iteration's d^K <= tolerance, even with the bound's slack
    assert pagerank.iterations(0.5, 1e-8) < np.log(1e-8) / np.log(0.5)


def test_bad_input_is_refused() -> None:
    pagerank = UndirectedPageRank(3, [(0, 1)])
    with pytest.raises(ValueError, match="damping"):
        pagerank.solve(np.ones(3), 1.0, 1e-10)
    with pytest.raises(ValueError, match="non-negative"):
        pagerank.solve(np.zeros(3), 0.5, 1e-10)
    with pytest.raises(ValueError, match="non-negative"):
        pagerank.solve(np.array([1.0, -0.5, 0.0]), 0.5, 1e-10)

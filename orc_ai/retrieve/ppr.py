"""Personalized PageRank over the entity graph with chunk nodes (HippoRAG 2's passage nodes), built once.

Nodes: every entity and every chunk. Edges (undirected): chunk–entity for each MENTIONS link, and
entity–entity for each relation. Seeds: the linked entities, each weighted by its specificity (1 / number of
chunks mentioning it, HippoRAG's node specificity) times its link score, plus the dense hits' chunk nodes with a
small weight. The PageRank mass that reaches chunk nodes ranks the chunks: a chunk that mentions an entity
named beside the query's entities in another chunk (the second hop) gets mass even when it shares no words with
the query."""

from __future__ import annotations

import numpy as np
import polars as pl

from orc_ai import defaults
from orc_ai.retrieve.pagerank import UndirectedPageRank


class PprGraph:
    """The undirected graph of entities and chunks, its PageRank matrix built once; ``rank`` runs one
    Personalized PageRank. A new graph (new tables) is a new ``PprGraph``, so the matrix never goes stale."""

    def __init__(self, chunk_ids: list[str], entities: pl.DataFrame, relations: pl.DataFrame, relation_edges: bool):
        self.chunk_ids = chunk_ids
        entity_ids = entities["entity_id"].to_list()
        self.n_chunks = len(chunk_ids)
        self.chunk_index = {c: i for i, c in enumerate(chunk_ids)}
        self.entity_index = {e: self.n_chunks + i for i, e in enumerate(entity_ids)}
        edges: list[tuple[int, int]] = []
        mentioned = np.ones(len(entity_ids), dtype=np.float64)
        for i, chunks in enumerate(entities["chunk_ids"].to_list()):
            known = [self.chunk_index[c] for c in chunks or [] if c in self.chunk_index]
            edges += [(c, self.n_chunks + i) for c in known]
            mentioned[i] = max(1, len(known))
        self.specificity = 1.0 / mentioned
        if relation_edges and relations.height:
            for source, target in relations.select("source_id", "target_id").iter_rows():
                a, b = self.entity_index.get(source), self.entity_index.get(target)
                if a is not None and b is not None and a != b:
                    edges.append((a, b))
        self.n_nodes = self.n_chunks + len(entity_ids)
        self.edges = sorted(set(edges))
        self.pagerank = UndirectedPageRank(self.n_nodes, self.edges)

    def seeds(
        self,
        entity_scores: dict[str, float],
        chunk_scores: dict[str, float],
        passage_weight: float,
        titled_chunks: dict[str, float] | None = None,
    ) -> np.ndarray:
        """The reset vector: specificity-weighted entity seeds and the chunks of documents the query names by
        title (together sum 1), plus ``passage_weight`` × the dense hits' chunk seeds."""
        reset = np.zeros(self.n_nodes, dtype=np.float64)
        for entity_id, score in entity_scores.items():
            node = self.entity_index.get(entity_id)
            if node is not None:
                reset[node] += score * self.specificity[node - self.n_chunks]
        for chunk_id, score in (titled_chunks or {}).items():
            node = self.chunk_index.get(chunk_id)
            if node is not None:
                reset[node] += score
        if reset.sum() > 0:
            reset /= reset.sum()
        # dense scores min-max normalised over the hits (as HippoRAG 2 does), so the best hit weighs most
        known = {self.chunk_index[c]: s for c, s in chunk_scores.items() if c in self.chunk_index}
        if known:
            low, high = min(known.values()), max(known.values())
            scaled = {n: (s - low) / (high - low) if high > low else 1.0 for n, s in known.items()}
            total = sum(scaled.values())
            for node, value in scaled.items():
                reset[node] += passage_weight * value / total
        return reset

    def mass(self, reset: np.ndarray, damping: float, tolerance: float = defaults.PPR_TOLERANCE) -> np.ndarray:
        """Each chunk's PageRank mass (chunk order), all zero without seeds. ``tolerance`` bounds the L1 error of
        the PageRank vector (orc_ai/retrieve/pagerank.py)."""
        if reset.sum() <= 0 or not self.n_chunks:
            return np.zeros(self.n_chunks, dtype=np.float64)
        return self.pagerank.solve(reset, damping, tolerance)[: self.n_chunks]

    def top(self, mass: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The ``k`` chunks with the most mass, best first (ties by chunk id); chunks without mass are left out."""
        order = np.lexsort((np.arange(self.n_chunks), -mass))[:k]
        return [(self.chunk_ids[i], float(mass[i])) for i in order if mass[i] > 0]

    def rank(
        self, reset: np.ndarray, damping: float, k: int, tolerance: float = defaults.PPR_TOLERANCE
    ) -> list[tuple[str, float]]:
        """The ``k`` chunks with the most PageRank mass, best first (ties by chunk id); empty without seeds."""
        return self.top(self.mass(reset, damping, tolerance), k)

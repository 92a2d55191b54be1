"""Personalized PageRank on an undirected graph, solved over a sparse matrix built once per graph.

The fixed point is igraph's ``personalized_pagerank(directed=False)`` (PRPACK): x = (1-d) s + d A D⁻¹ x, where s is
the normalised reset vector and a dangling (isolated) node's mass goes back to s. That mass only rescales the
solution, so we solve y = (1-d) s + d A D⁻¹ y with dangling mass dropped and return y / Σy (the same vector).

On an undirected graph z = D^-½ y turns the system into z = b + d S z with S = D^-½ A D^-½ symmetric, its
spectrum in [-1, 1]. Chebyshev semi-iteration (Golub and Varga 1961) on that system needs about half the sparse
matrix-vector products of plain power iteration (error factor ≈0.27 per product at d = 0.5, against 0.5), and
its error after K steps has a closed-form bound, so K is fixed from the tolerance in advance (``iterations``)."""

from __future__ import annotations

import math

import numpy as np


class UndirectedPageRank:
    """The symmetric-normalised adjacency of one graph (``n`` nodes, each undirected edge once), kept for queries."""

    def __init__(self, n: int, edges: list[tuple[int, int]]):
        import scipy.sparse as sp

        rows = np.fromiter((a for a, _ in edges), dtype=np.int64, count=len(edges))
        cols = np.fromiter((b for _, b in edges), dtype=np.int64, count=len(edges))
        ones = np.ones(2 * len(edges), dtype=np.float64)
        adjacency = sp.csr_matrix((ones, (np.r_[rows, cols], np.r_[cols, rows])), shape=(n, n))
        adjacency.sum_duplicates()
        adjacency.data[:] = 1.0  # a simple graph, as igraph's: an edge given twice counts once
        degree = np.asarray(adjacency.sum(axis=1)).ravel()
        self.n = n
        self.dangling = degree == 0
        self.sqrt_degree = np.sqrt(degree)
        inverse = np.divide(1.0, self.sqrt_degree, out=np.zeros(n), where=~self.dangling)
        self.inverse_sqrt_degree = inverse
        self.normalised = sp.csr_matrix(sp.diags(inverse) @ adjacency @ sp.diags(inverse))
        self.volume = float(degree.sum())  # Σ degree = 2 × edges

    def iterations(self, damping: float, tolerance: float) -> int:
        """Chebyshev steps that bound the L1 error of the normalised result by ``tolerance``.

        With z₀ = b: ‖e₀‖₂ = ‖d S z*‖₂ ≤ d/(1-d)·‖b‖₂ ≤ d (as ‖b‖₂ ≤ (1-d)‖s‖₂ ≤ 1-d), and ‖e_K‖₂ ≤ ‖e₀‖₂ / T_K(1/d).
        Back in y: ‖e_y‖₁ ≤ √(Σ degree)·‖e_K‖₂ (Cauchy–Schwarz), and normalising by Σy ≥ 1-d at most doubles an L1
        error relative to Σy. So T_K(1/d) ≥ 2d√(Σ degree) / ((1-d)·tolerance) suffices."""
        if damping <= 0 or self.volume == 0:
            return 0
        needed = max(1.0, 2 * damping * math.sqrt(self.volume) / ((1 - damping) * tolerance))
        return max(1, math.ceil(math.acosh(needed) / math.acosh(1 / damping)))

    def solve(self, reset: np.ndarray, damping: float, tolerance: float) -> np.ndarray:
        """The PageRank vector (sums to 1) for a non-negative ``reset`` with a positive sum; ``damping`` in [0, 1)."""
        if not 0 <= damping < 1:
            raise ValueError(f"PageRank damping must be in [0, 1): {damping}")
        total = float(reset.sum())
        if total <= 0 or (reset < 0).any():
            raise ValueError("the PageRank reset vector must be non-negative with a positive sum")
        source = reset / total
        b = (1 - damping) * source * self.inverse_sqrt_degree
        steps = self.iterations(damping, tolerance)
        previous, current = b, b
        if steps:
            matrix = self.normalised
            current = damping * (matrix @ b) + b  # z₁ (ω₁ = 1)
            omega, rho2 = 2.0 / (2.0 - damping * damping), damping * damping  # ω₂
            for _ in range(steps - 1):
                previous, current = current, omega * (damping * (matrix @ current) + b - previous) + previous
                omega = 1.0 / (1.0 - rho2 * omega / 4.0)
        y = current * self.sqrt_degree
        y[self.dangling] = (1 - damping) * source[self.dangling]  # no inflow, and their outflow returns to s
        return y / y.sum()

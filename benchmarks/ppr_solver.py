"""Personalized PageRank per query on the offline-decision graph (10k chunks, 48k nodes): igraph's PRPACK, the
solver the retriever used before, against the sparse Chebyshev solver (orc_ai/retrieve/pagerank.py) it uses now,
on the same reset vectors, alternating per query so that a changing machine load affects both alike.

The reset vectors are the agent retriever's own (one PPR round: linked entities, titles, dense hits), recorded for
questions of the QA dev sets. Reported: milliseconds per solve (p50/p95), the largest L1 difference between the two
vectors, and for how many queries the top 50 chunks are the same list (and the same up to ties within 1e-9).

Usage: PYTHONPATH=. .venv/bin/python benchmarks/ppr_solver.py [--queries 60] [--cache-root DIR]
(``--cache-root``: build the graph under another folder, e.g. while agent_latency.py uses the default one; its
``cache`` subfolder may be a link to .cache/retrieval_qa/cache so that nothing is extracted or embedded again)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path

import igraph as ig
import numpy as np
from agent_latency import CORPORA  # benchmarks/ is on sys.path when run as a script
from qa_corpus import CACHE, QA, build_from_files

from orc_ai import defaults
from orc_ai.agent.service import agent_retrieval_config
from orc_ai.embed.embedders import SentenceTransformerEmbedder
from orc_ai.retrieve.config import RetrievalTables
from orc_ai.retrieve.retriever import Retriever

TOP = 50


def same_up_to_ties(ours: np.ndarray, reference: np.ndarray, tol: float = 1e-9) -> bool:
    """Our top ``TOP`` chunks are in the reference's order, and none better by more than ``tol`` is left out."""
    ids = np.lexsort((np.arange(len(ours)), -ours))[:TOP]
    scores = reference[ids]
    rest = np.setdiff1d(np.arange(len(reference)), ids)
    return bool(np.all(np.diff(scores) <= tol) and (not len(rest) or reference[rest].max() <= scores[-1] + tol))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--cache-root", type=Path, default=CACHE)
    args = parser.parse_args()
    embedder = SentenceTransformerEmbedder()
    files = {"2wiki.json": CORPORA / "2wikimultihopqa_corpus.json",
             "musique.json": QA / "musique_dev_corpus.json", "hotpotqa.json": QA / "hotpotqa_dev_corpus.json"}
    corpus = build_from_files("agent_latency", files, embedder, args.cache_root)
    retriever = Retriever.build(corpus.store, embedder, RetrievalTables(**corpus.tables), agent_retrieval_config())
    graph, resets = retriever.graph, []
    solve = graph.pagerank.solve

    def recording(reset: np.ndarray, damping: float, tolerance: float) -> np.ndarray:
        resets.append(reset.copy())
        return solve(reset, damping, tolerance)

    graph.pagerank.solve = recording
    questions = [json.loads(line)["question"] for name in ("musique", "hotpotqa")
                 for line in (QA / f"{name}_dev_questions.jsonl").read_text().splitlines()]
    random.Random(1).shuffle(questions)
    for question in questions[: args.queries]:
        retriever.rankings(question)
    started = time.perf_counter()
    reference_graph = ig.Graph(n=graph.n_nodes, edges=graph.edges, directed=False)
    igraph_build_s = time.perf_counter() - started
    damping, tol, n = defaults.PPR_DAMPING, defaults.PPR_TOLERANCE, graph.n_chunks
    timings: dict[str, list[float]] = {"igraph": [], "chebyshev": []}
    l1, identical, tied = [], 0, 0
    for reset in resets:
        start = time.perf_counter()
        reference = np.asarray(reference_graph.personalized_pagerank(damping=damping, reset=reset.tolist(),
                                                                     directed=False))
        timings["igraph"].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        ours = solve(reset, damping, tol)
        timings["chebyshev"].append((time.perf_counter() - start) * 1000)
        l1.append(float(np.abs(ours - reference).sum()))
        top = [np.lexsort((np.arange(n), -v[:n]))[:TOP].tolist() for v in (ours, reference)]
        identical += top[0] == top[1]
        tied += same_up_to_ties(ours[:n], reference[:n])

    def pct(values: list[float], q: int) -> float:
        return round(float(np.percentile(values, q)), 2)

    print(json.dumps({
        "nodes": graph.n_nodes, "edges": len(graph.edges), "chunks": n, "queries": len(resets),
        "chebyshev_steps": graph.pagerank.iterations(damping, tol), "tolerance_l1": tol,
        "load_1min": round(os.getloadavg()[0], 1), "igraph_graph_build_s": round(igraph_build_s, 2),
        **{f"{name}_ms_p{q}": pct(v, q) for name, v in timings.items() for q in (50, 95)},
        "speedup_p50": round(np.median(timings["igraph"]) / np.median(timings["chebyshev"]), 1),
        "max_l1_difference": max(l1), f"top{TOP}_identical": identical, f"top{TOP}_same_up_to_ties": tied,
    }))


if __name__ == "__main__":
    main()

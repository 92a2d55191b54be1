"""Retrieval recall@k and latency of the retriever's components on the multi-hop QA dev sets in ../shared/data/qa.

The corpus goes through the project's own chain with the default build (benchmarks/qa_corpus.py: ingest, chunking,
offline NLP extraction and resolution, packaged MiniLM embeddings, embedded graph store, communities), cached
under .cache/retrieval_qa so re-runs are fast. A question's hits are chunks, mapped back to passages (first k
distinct passages). Recall@k = mean share of a question's gold passages in its top k. Each ablation is reported on
all questions and on each half (defaults were chosen on MuSiQue's first half only). The default runs first and embeds
each question, so its latency includes the query embedding; later ablations reuse those vectors (the machine is
shared, and embedding dominates their time), so their latency excludes it. The fact index's sentence vectors are
cached in .cache/retrieval_qa/cache/sentence_embeddings.sqlite (the first build embeds them: minutes on 2 cores).

Usage: .venv/bin/python benchmarks/retrieval_qa.py [--k 2 5 10] [--out benchmarks/results_retrieval_qa.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from qa_corpus import CACHE, QA, build_corpus  # benchmarks/ is on sys.path when run as a script

from orc_ai.cache import ContentCache
from orc_ai.embed.embedders import SentenceTransformerEmbedder
from orc_ai.retrieve.config import RetrievalConfig, RetrievalTables
from orc_ai.retrieve.retriever import Retriever

EVERY = {"components": ("dense", "bm25", "ppr"), "fusion": "rrf"}  # every ranking in a reciprocal-rank fusion
PREVIOUS = {"components": ("ppr",), "fusion": "rrf"}  # the default before learned fusion: RRF of the PPR rounds
ABLATIONS: dict[str, dict] = {
    "full (default)": {},  # learned fusion of every signal; dense hits and the nearest sentences seed PageRank
    "RRF of the two PPR rounds (the previous default)": PREVIOUS,
    "RRF of dense, bm25 and the two PPR rounds": EVERY,
    "no fact seeds (RRF of the PPR rounds)": {**PREVIOUS, "fact_top": 0},
    "learned fusion, fact seeds from 3 sentences": {"fact_top": 3},
    "learned fusion, fact seeds from 5 sentences": {"fact_top": 5},
    "dense": {"components": ("dense",), "fusion": "rrf"},
    "bm25": {"components": ("bm25",), "fusion": "rrf"},
    "dense+bm25 (RRF)": {"components": ("dense", "bm25"), "fusion": "rrf"},
    "ppr ranking alone (dense as seeds)": {**PREVIOUS, "hop_top": 0},
    "full, no title links": {**EVERY, "ppr_title_seed": 0.0},
    "full, + entity vector links": {**EVERY, "link_vector_entities": 5},
    "full, passage seeds 1.0": {**EVERY, "ppr_passage_seed": 1.0},
    "one round (no second PPR round)": {**EVERY, "hop_top": 0},
    "second round without title links": {**EVERY, "hop_title_seed": 0.0},
    "RRF k 60 (Cormack et al.)": {**EVERY, "rrf_k": 60},
    "RRF k 60, one round (the previous default, with possessive links)": {**EVERY, "rrf_k": 60, "hop_top": 0},
}


class MemoEmbedder:
    """The embedder with each text's vector kept once computed (query vectors shared by the ablations)."""

    def __init__(self, embedder: SentenceTransformerEmbedder):
        self._embedder, self._vectors = embedder, {}
        self.model_id, self.dim = embedder.model_id, embedder.dim

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in texts if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self._embedder.embed(missing), strict=True))
        return np.stack([self._vectors[t] for t in texts])


def passage_index(name: str) -> int:
    return int(name.rsplit("#", 1)[1])


def question_recall(doc_ids: list[str], question: dict, passages_of_doc: dict, ks: list[int]) -> dict[int, float]:
    """Share of the question's gold passages among the first k distinct passages of the ranked documents."""
    ranked: list[int] = []
    for doc_id in doc_ids:
        for passage in passages_of_doc[doc_id]:
            if passage not in ranked:
                ranked.append(passage)
    gold = set(question["gold_corpus_idx"])
    return {k: len(gold & set(ranked[:k])) / len(gold) for k in ks}


def recall_table(per_question: list[dict[int, float]], ks: list[int]) -> dict:
    """Mean R@k on all questions and on each half (questions 1–50 / 51–100 of the dev sets)."""
    half = len(per_question) // 2

    def recall(rows: list[dict[int, float]]) -> dict[str, float]:
        return {f"R@{k}": round(float(np.mean([r[k] for r in rows])), 3) for k in ks}

    return {
        **recall(per_question),
        "first_half": recall(per_question[:half]),
        "second_half": recall(per_question[half:]),
    }


def evaluate(retriever: Retriever, questions: list[dict], passages_of_doc: dict, ks: list[int]) -> dict:
    """R@k on all questions and on each half, and retrieve() latency percentiles."""
    per_question: list[dict[int, float]] = []
    latency = []
    steps: dict[str, list[float]] = {}
    for question in questions:
        result = retriever.retrieve(question["question"], k=max(ks) * 4)
        latency.append(result.timings_ms["total"])
        for step, ms in result.timings_ms.items():
            steps.setdefault(step, []).append(ms)
        per_question.append(question_recall([item.doc_id for item in result.items], question, passages_of_doc, ks))
    return {
        **recall_table(per_question, ks),
        "latency_ms_p50": round(float(np.percentile(latency, 50)), 1),
        "latency_ms_p95": round(float(np.percentile(latency, 95)), 1),
        "step_ms_p50": {step: round(float(np.percentile(ms, 50)), 1) for step, ms in steps.items()},
    }


def load_dataset(dataset: str, embedder) -> tuple:
    """The dataset's corpus through the chain, its tables, its questions and each document's passage indexes."""
    corpus = build_corpus(dataset, embedder)
    passages_of_doc = {
        row["doc_id"]: [passage_index(n) for n in [row["name"], *row["duplicate_names"]]]
        for row in corpus.tables["raw_docs"].iter_rows(named=True)
    }
    questions = [json.loads(line) for line in (QA / f"{dataset}_dev_questions.jsonl").read_text().splitlines()]
    return corpus, RetrievalTables(**corpus.tables), questions, passages_of_doc


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--k", type=int, nargs="+", default=[2, 5, 10])
    parser.add_argument("--datasets", nargs="+", default=["musique", "hotpotqa"])
    parser.add_argument("--ablations", nargs="+", default=list(ABLATIONS))
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if not QA.exists():
        raise SystemExit(f"{QA} not found: the benchmark needs ../shared/data/qa")
    embedder = SentenceTransformerEmbedder()
    results: dict[str, dict] = {}
    for dataset in args.datasets:
        corpus, tables, questions, passages_of_doc = load_dataset(dataset, embedder)
        results[dataset] = {"corpus": {k: v.height for k, v in corpus.tables.items()}}
        memo = MemoEmbedder(embedder)
        with ContentCache(CACHE / "cache" / "sentence_embeddings.sqlite") as sentences:
            for name in args.ablations:
                retriever = Retriever.build(corpus.store, memo, tables, RetrievalConfig(**ABLATIONS[name]), sentences)
                retriever.retrieve("warm-up query")
                results[dataset][name] = evaluate(retriever, questions, passages_of_doc, args.k)
                print(dataset, name, json.dumps(results[dataset][name]), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""Retrieval recall@k of the chain's chunk vectors on the multi-hop QA dev sets in ../shared/data/qa.

The corpus goes through the project's own ingest (JSON records), chunking, embedding text and embedded graph
store vector search; a question's hits are chunks, mapped back to passages (first k distinct passages).
Recall@k = mean share of a question's gold passages in its top k.

Usage: .venv/bin/python benchmarks/retrieval_qa.py [--k 2 5 10]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import polars as pl

from orc_ai.cache import ContentCache
from orc_ai.embed.cached import embed_with_cache
from orc_ai.embed.embedders import SentenceTransformerEmbedder
from orc_ai.embed.texts import chunk_embedding_text
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.ingest.documents import ingest_folder
from orc_ai.text.chunking import chunk_documents, load_tokenizer

QA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "qa"


def passage_index(name: str) -> int:
    return int(name.rsplit("#", 1)[1])


def evaluate(dataset: str, ks: list[int], work: Path, embedder: SentenceTransformerEmbedder) -> dict:
    docs_dir = work / dataset / "docs"
    docs_dir.mkdir(parents=True)
    shutil.copy(QA / f"{dataset}_dev_corpus.json", docs_dir / "corpus.json")
    ingest = ingest_folder(docs_dir)
    docs = ingest.documents_frame()
    with ContentCache(work / "cache" / "chunks.sqlite") as cache:
        chunks, _ = chunk_documents(docs, load_tokenizer(), cache)
    titles = dict(docs.select("doc_id", "title").iter_rows())
    texts = [chunk_embedding_text(titles[d], t) for d, t in chunks.select("doc_id", "text").iter_rows()]
    with ContentCache(work / "cache" / "embeddings.sqlite") as cache:
        vectors = embed_with_cache(embedder, texts, cache).vectors
    store = EmbeddedGraphStore(work / dataset / "graph")
    store.ensure_schema()
    store.upsert_chunks(chunks.with_columns(pl.Series("vector", vectors, dtype=pl.Array(pl.Float32, vectors.shape[1]))))

    passages_of_doc = {
        row["doc_id"]: [passage_index(n) for n in [row["name"], *row["duplicate_names"]]]
        for row in docs.iter_rows(named=True)
    }
    doc_of_chunk = dict(chunks.select("chunk_id", "doc_id").iter_rows())
    questions = [json.loads(line) for line in (QA / f"{dataset}_dev_questions.jsonl").read_text().splitlines()]
    question_vectors = embedder.embed([q["question"] for q in questions])
    recall = {k: 0.0 for k in ks}
    for question, vector in zip(questions, question_vectors, strict=True):
        ranked: list[int] = []
        for hit in store.vector_search("chunk", vector, k=max(ks) * 4):
            for passage in passages_of_doc[doc_of_chunk[hit.id]]:
                if passage not in ranked:
                    ranked.append(passage)
        gold = set(question["gold_corpus_idx"])
        for k in ks:
            recall[k] += len(gold & set(ranked[:k])) / len(gold)
    return {f"R@{k}": round(v / len(questions), 3) for k, v in recall.items()} | {
        "questions": len(questions),
        "passages": len(passages_of_doc),
        "chunks": chunks.height,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--k", type=int, nargs="+", default=[2, 5, 10])
    args = parser.parse_args()
    if not QA.exists():
        raise SystemExit(f"{QA} not found: the benchmark needs ../shared/data/qa")
    embedder = SentenceTransformerEmbedder()
    with tempfile.TemporaryDirectory() as tmp:
        for dataset in ("musique", "hotpotqa"):
            print(dataset, json.dumps(evaluate(dataset, args.k, Path(tmp), embedder)))


if __name__ == "__main__":
    main()

"""Train the retriever's learned fusion (orc_ai/retrieve/learned_fusion.py) on the multi-hop QA dev sets.

Each question's candidates are every component's chunks; a candidate is positive when its document is one of the
question's gold passages. A logistic regression (scikit-learn, L2, standardised features) is fitted and written
in the features' own units. Held-out figures: the model trained on one dataset ranks the other's candidates
(leave one dataset out); that is the estimate for data the model never saw. The shipped model is fitted on both.

Usage: .venv/bin/python benchmarks/train_fusion.py [--out benchmarks/results_fusion.json] [--write-model] [--ablate]
(--ablate: the held-out figures again with each feature left out, one at a time)
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from qa_corpus import CACHE  # benchmarks/ is on sys.path when run as a script
from retrieval_qa import MemoEmbedder, load_dataset, question_recall, recall_table

from orc_ai.cache import ContentCache
from orc_ai.embed.embedders import SentenceTransformerEmbedder
from orc_ai.retrieve.config import RetrievalConfig
from orc_ai.retrieve.learned_fusion import FEATURES, MODEL_PATH, LinearFusion
from orc_ai.retrieve.retriever import Retriever

REGULARISATION = 0.1  # scikit-learn's C: strong, so eight weights fitted on 200 questions carry over to others
KS = [2, 5, 10]


@dataclass
class Questions:
    """One dataset's candidates: per question the chunk documents, the feature matrix and the gold labels."""

    name: str
    questions: list[dict]
    passages_of_doc: dict
    docs: list[list[str]]
    features: list[np.ndarray]
    labels: list[np.ndarray]


def collect(dataset: str, embedder: SentenceTransformerEmbedder) -> Questions:
    """Every question's candidates and features from the default retriever's components (fused by rank here, so
    no model is needed to collect them)."""
    corpus, tables, questions, passages_of_doc = load_dataset(dataset, embedder)
    with ContentCache(CACHE / "cache" / "sentence_embeddings.sqlite") as sentences:
        retriever = Retriever.build(
            corpus.store, MemoEmbedder(embedder), tables, RetrievalConfig(fusion="rrf"), sentences
        )
    out = Questions(dataset, questions, passages_of_doc, [], [], [])
    for question in questions:
        candidates, features, _ = retriever.features(question["question"])
        docs = [retriever.chunks[c].doc_id for c in candidates]
        gold = set(question["gold_corpus_idx"])
        out.docs.append(docs)
        out.features.append(features)
        out.labels.append(np.array([bool(gold & set(passages_of_doc[d])) for d in docs], dtype=np.int64))
    return out


def fit(sets: list[Questions]) -> LinearFusion:
    """The logistic regression on the pooled candidates of ``sets``, its weights unscaled to raw features."""
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate([f for s in sets for f in s.features])
    y = np.concatenate([label for s in sets for label in s.labels])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    model = LogisticRegression(C=REGULARISATION, max_iter=5000).fit((x - mean) / scale, y)
    weights = model.coef_[0] / scale
    bias = float(model.intercept_[0] - weights @ mean)
    return LinearFusion(tuple(float(w) for w in weights), bias, " + ".join(f"{s.name}_dev" for s in sets))


def recall_with(model: LinearFusion, data: Questions) -> dict:
    """R@k when ``model`` ranks each question's candidates (ties by position, as the retriever breaks them by id)."""
    rows = []
    for question, docs, features in zip(data.questions, data.docs, data.features, strict=True):
        scores = model.score(features)
        order = np.lexsort((np.arange(len(docs)), -scores))
        rows.append(question_recall([docs[i] for i in order], question, data.passages_of_doc, KS))
    return recall_table(rows, KS)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--write-model", action="store_true", help=f"write the model fitted on both to {MODEL_PATH}")
    parser.add_argument("--ablate", action="store_true", help="held-out figures with each feature left out")
    args = parser.parse_args()
    embedder = SentenceTransformerEmbedder()
    sets = [collect(name, embedder) for name in ("musique", "hotpotqa")]
    results: dict[str, dict] = {}
    for held_out in sets:
        trained = fit([s for s in sets if s is not held_out])
        results[f"{held_out.name}, model trained on {trained.trained_on} only"] = recall_with(trained, held_out)
    both = fit(sets)
    for data in sets:
        results[f"{data.name}, model trained on both (in-sample)"] = recall_with(both, data)
    if args.ablate:
        for i, feature in enumerate(FEATURES):
            kept = [replace(s, features=[np.delete(f, i, axis=1) for f in s.features]) for s in sets]
            for held_out in kept:
                trained = fit([s for s in kept if s is not held_out])
                results[f"{held_out.name}, held out, without {feature}"] = recall_with(trained, held_out)
    results["model"] = {"features": list(FEATURES), "weights": list(both.weights), "bias": both.bias}
    for name, row in results.items():
        print(name, json.dumps(row), flush=True)
    if args.write_model:
        both.save(MODEL_PATH, regularisation=REGULARISATION, command="benchmarks/train_fusion.py --write-model")
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()

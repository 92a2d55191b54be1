"""Learned fusion: a logistic-regression score over each candidate chunk's signals from every component, in place of
reciprocal-rank fusion. Ranks throw away how far apart two chunks are; the signals keep it (a chunk one PageRank
round barely reaches and the other floods is not "rank 3 and rank 7"). The model is nine weights in
``fusion_model.json`` beside this module, trained by ``benchmarks/train_fusion.py``; BENCHMARKS.md gives its
figures on each dataset with the model trained on the other one only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from orc_ai.errors import ConfigError

MODEL_PATH = Path(__file__).with_name("fusion_model.json")
FEATURES = (
    "ppr_log_mass",  # log of the round-one PageRank mass, relative to the query's best chunk
    "hop2_log_mass",  # the same for the second round
    "dense_gap",  # cosine to the query minus the best chunk's (a chunk past the dense hits: the last hit's)
    "sentence_gap",  # the chunk's best sentence cosine minus the best sentence's
    "clause_gap",  # the same for each clause of the query (orc_ai/retrieve/clauses.py), the best over clauses
    "bm25_share",  # BM25 score over the best BM25 score (0 past the BM25 hits)
    "titled",  # the query names the chunk's document by title
    "named_by_top",  # a chunk seeding round two names the chunk's document by title
    "linked_entities",  # how many of the query's linked entities the chunk mentions
)
MASS_FLOOR = 1e-4  # of the best chunk's mass: where the log of a chunk PageRank did not reach stops


@dataclass(frozen=True)
class QuerySignals:
    """What every component said about one query, over all chunks (arrays in the retriever's chunk order)."""

    ppr_mass: np.ndarray
    hop2_mass: np.ndarray
    dense: dict[int, float]  # chunk row -> cosine, for the store's vector hits
    sentence_best: np.ndarray
    clause_gap: np.ndarray  # per chunk, already relative to each clause's best
    bm25: dict[int, float]  # chunk row -> BM25 score, for the BM25 hits
    titled_docs: frozenset[str]
    named_docs: frozenset[str]
    linked_entities: frozenset[str]


def _log_mass(mass: np.ndarray, rows: np.ndarray) -> np.ndarray:
    best = float(mass.max()) if mass.size else 0.0
    relative = mass[rows] / best if best > 0 else np.zeros(len(rows))
    return np.log(relative + MASS_FLOOR)


def candidate_features(
    rows: list[int], signals: QuerySignals, chunk_docs: list[str], chunk_entities: list[frozenset[str]]
) -> np.ndarray:
    """The ``FEATURES`` of each candidate chunk row, one row of the matrix per candidate."""
    index = np.asarray(rows, dtype=np.int64)
    floor = min(signals.dense.values(), default=-1.0)
    top_cosine = max(signals.dense.values(), default=-1.0)
    top_bm25 = max(signals.bm25.values(), default=0.0)
    sentence = signals.sentence_best
    top_sentence = float(sentence.max()) if sentence.size else -1.0
    columns = [
        _log_mass(signals.ppr_mass, index),
        _log_mass(signals.hop2_mass, index),
        np.array([signals.dense.get(r, floor) - top_cosine for r in rows]),
        sentence[index] - top_sentence if sentence.size else np.zeros(len(rows)),
        signals.clause_gap[index] if signals.clause_gap.size else np.zeros(len(rows)),
        np.array([signals.bm25.get(r, 0.0) / top_bm25 if top_bm25 > 0 else 0.0 for r in rows]),
        np.array([chunk_docs[r] in signals.titled_docs for r in rows], dtype=np.float64),
        np.array([chunk_docs[r] in signals.named_docs for r in rows], dtype=np.float64),
        np.array([len(chunk_entities[r] & signals.linked_entities) for r in rows], dtype=np.float64),
    ]
    return np.stack(columns, axis=1) if rows else np.zeros((0, len(FEATURES)))


@dataclass(frozen=True)
class LinearFusion:
    """score = sigmoid(weights · features + bias), in the features' own units."""

    weights: tuple[float, ...]
    bias: float
    trained_on: str = ""

    def score(self, features: np.ndarray) -> np.ndarray:
        """Each candidate's probability of being a passage the query needs, as the model estimates it."""
        return 1.0 / (1.0 + np.exp(-(features @ np.asarray(self.weights) + self.bias)))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> LinearFusion:
        """The model written by ``save``; a file for other features than ``FEATURES`` is a config error."""
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            raise ConfigError(f"learned fusion model {path} unreadable: {error}") from error
        if tuple(data.get("features", ())) != FEATURES or len(data.get("weights", ())) != len(FEATURES):
            raise ConfigError(f"learned fusion model {path} is for features {data.get('features')}, not {FEATURES}")
        return cls(tuple(float(w) for w in data["weights"]), float(data["bias"]), str(data.get("trained_on", "")))

    def save(self, path: Path, **about: object) -> None:
        """Write the model as JSON with the feature names (and ``about``: how it was trained)."""
        body = {"features": list(FEATURES), "weights": list(self.weights), "bias": self.bias}
        path.write_text(json.dumps({**body, "trained_on": self.trained_on, **about}, indent=2) + "\n")

"""Learned fusion: each candidate's features as defined, the model file's round trip and its guard against a
feature list the code does not compute, and the packaged model's ranking of the constructed two-hop question."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from orc_ai.errors import ConfigError
from orc_ai.retrieve.learned_fusion import (
    FEATURES,
    MASS_FLOOR,
    LinearFusion,
    QuerySignals,
    candidate_features,
)
from orc_ai.retrieve.retriever import Retriever
from orc_ai_tests.retrieve.conftest import TWO_HOP_QUESTION, Corpus

DOCS = ["d0", "d1", "d2", "d3"]
ENTITIES = [frozenset({"e1"}), frozenset({"e1", "e2"}), frozenset(), frozenset({"e3"})]
SIGNALS = QuerySignals(
    ppr_mass=np.array([0.4, 0.2, 0.0, 0.1]),
    hop2_mass=np.array([0.0, 0.5, 0.25, 0.0]),
    dense={0: 0.9, 1: 0.7},  # chunks 2 and 3 are past the dense hits
    sentence_best=np.array([0.8, 0.6, 0.5, -1.0]),
    clause_gap=np.array([0.0, -0.1, -0.3, -1.5]),
    bm25={1: 4.0, 2: 8.0},
    titled_docs=frozenset({"d3"}),
    named_docs=frozenset({"d2", "d9"}),
    linked_entities=frozenset({"e1", "e2", "e9"}),
)


def test_each_feature_is_computed_as_defined() -> None:
    x = candidate_features([3, 1, 0, 2], SIGNALS, DOCS, ENTITIES)
    column = {name: x[:, i].tolist() for i, name in enumerate(FEATURES)}
    assert x.shape == (4, len(FEATURES))
    floor = math.log(MASS_FLOOR)  # no mass: the floor; otherwise the log of the share of the best chunk's mass
    ppr = [math.log(0.25 + MASS_FLOOR), math.log(0.5 + MASS_FLOOR), math.log(1 + MASS_FLOOR), floor]
    assert column["ppr_log_mass"] == pytest.approx(ppr)
    assert column["hop2_log_mass"] == pytest.approx(
        [floor, math.log(1 + MASS_FLOOR), floor, math.log(0.5 + MASS_FLOOR)]
    )
    assert column["dense_gap"] == pytest.approx([-0.2, -0.2, 0.0, -0.2])  # past the hits: the last hit's
    assert column["sentence_gap"] == pytest.approx([-1.8, -0.2, 0.0, -0.3])
    assert column["clause_gap"] == pytest.approx([-1.5, -0.1, 0.0, -0.3])
    assert column["bm25_share"] == pytest.approx([0.0, 0.5, 0.0, 1.0])
    assert column["titled"] == [1.0, 0.0, 0.0, 0.0]
    assert column["named_by_top"] == [0.0, 0.0, 0.0, 1.0]
    assert column["linked_entities"] == [0.0, 2.0, 1.0, 0.0]
    assert candidate_features([], SIGNALS, DOCS, ENTITIES).shape == (0, len(FEATURES))


def test_a_query_nothing_reached_gives_floor_features_not_an_error() -> None:
    empty = QuerySignals(
        np.zeros(4), np.zeros(4), {}, np.full(4, -1.0), np.zeros(4), {}, frozenset(), frozenset(), frozenset()
    )
    x = candidate_features([0, 1], empty, DOCS, ENTITIES)
    assert np.isfinite(x).all()
    assert x[:, 0].tolist() == pytest.approx([math.log(MASS_FLOOR)] * 2)


def test_the_score_is_the_logistic_of_the_weighted_features() -> None:
    weights = tuple(float(i + 1) for i in range(len(FEATURES)))
    model = LinearFusion(weights, -2.0)
    x = candidate_features([0, 1, 2, 3], SIGNALS, DOCS, ENTITIES)
    want = [1 / (1 + math.exp(-(float(np.dot(row, weights)) - 2.0))) for row in x]
    assert model.score(x).tolist() == pytest.approx(want)


def test_a_model_round_trips_and_a_model_for_other_features_is_refused(tmp_path: Path) -> None:
    model = LinearFusion(tuple(float(i) / 10 for i in range(len(FEATURES))), 0.5, "both dev sets")
    path = tmp_path / "model.json"
    model.save(path, regularisation=0.1)
    assert LinearFusion.load(path) == model
    assert json.loads(path.read_text())["regularisation"] == 0.1
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "features": data["features"][:-1]}))
    with pytest.raises(ConfigError, match="is for features"):
        LinearFusion.load(path)
    path.write_text(json.dumps({**data, "weights": data["weights"][:-1]}))
    with pytest.raises(ConfigError, match="is for features"):
        LinearFusion.load(path)
    path.write_text("{not json")
    with pytest.raises(ConfigError, match="unreadable"):
        LinearFusion.load(path)
    with pytest.raises(ConfigError, match="unreadable"):
        LinearFusion.load(tmp_path / "missing.json")


def test_the_packaged_model_is_for_these_features_and_rewards_every_signal() -> None:
    model = LinearFusion.load()
    assert len(model.weights) == len(FEATURES)
    # every feature is "more is better" as defined, and training on both dev sets gave each a positive weight
    assert all(w > 0 for w in model.weights), dict(zip(FEATURES, model.weights, strict=True))


def test_the_default_retriever_puts_both_hops_of_the_constructed_question_first(corpus: Corpus) -> None:
    retriever = Retriever.build(corpus.store, corpus.embedder, corpus.tables, cache=corpus.sentences)
    texts = {c: chunk.text for c, chunk in retriever.chunks.items()}
    top = [texts[item.chunk_id] for item in retriever.retrieve(TWO_HOP_QUESTION, k=3).items]
    assert any("is owned by Marlow Analytics" in t for t in top)
    assert any("Quenby Harbour" in t for t in top)

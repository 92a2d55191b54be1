"""Query-to-fact seeding: chunk sentences embedded once (through a cache), and the sentences nearest the query
seed the entities they name."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from orc_ai.cache import ContentCache
from orc_ai.retrieve.config import RetrievalConfig
from orc_ai.retrieve.facts import ChunkText, FactIndex
from orc_ai.retrieve.retriever import Retriever
from orc_ai_tests.retrieve.conftest import TWO_HOP_QUESTION, Corpus

CHUNKS = {
    "c2": ChunkText("Weather log", "Rain fell on Quenby Harbour. The ferry was late.", [("e3", "Quenby Harbour")]),
    "c1": ChunkText(
        "Kestrel ingestion",
        "The Kestrel Pipeline copies invoices every night. It is owned by Marlow Analytics.",
        [("e1", "Kestrel Pipeline"), ("e2", "Marlow Analytics")],
    ),
    "c3": ChunkText("Marlow Analytics", "Its offices moved twice.", [("e2", "Marlow Analytics")]),
}


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, embedder):
        self._embedder, self.embedded = embedder, 0
        self.model_id, self.dim = embedder.model_id, embedder.dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded += len(texts)
        return self._embedder.embed(texts)


@pytest.fixture(scope="module")
def facts(corpus: Corpus) -> FactIndex:
    return FactIndex.build(CHUNKS, corpus.embedder)


def test_each_sentence_is_a_fact_with_its_title_and_the_entities_it_names(facts: FactIndex) -> None:
    assert facts.texts == [
        "Kestrel ingestion: The Kestrel Pipeline copies invoices every night.",
        "Kestrel ingestion: It is owned by Marlow Analytics.",
        "Weather log: Rain fell on Quenby Harbour.",
        "Weather log: The ferry was late.",
        "Marlow Analytics: Its offices moved twice.",  # the title names the document's subject
    ]
    assert facts.entity_ids == [["e1"], ["e2"], ["e3"], [], ["e2"]]
    assert np.allclose(np.linalg.norm(facts.vectors, axis=1), 1.0, atol=1e-5)


def test_the_nearest_sentences_seed_their_entities_in_order(facts: FactIndex) -> None:
    query = facts.vectors[1] + 0.1 * facts.vectors[2]  # nearest the owner's sentence
    assert facts.top_facts(query, 1) == [1]
    assert facts.seed_entities(query, 1) == ["e2"]
    ranked = facts.top_facts(query, 5)
    scores = facts.vectors @ (query / np.linalg.norm(query))
    assert sorted(ranked) == [0, 1, 2, 3, 4] and list(scores[ranked]) == sorted(scores, reverse=True)
    assert facts.seed_entities(query, 5) == list(dict.fromkeys(e for i in ranked for e in facts.entity_ids[i]))
    assert facts.seed_entities(facts.vectors[2] * 3.0, 1) == ["e3"]  # cosine: the query's length does not matter
    assert facts.seed_entities(query, 0) == []


def test_sentences_embedded_once_are_read_from_the_cache(corpus: Corpus, tmp_path: Path) -> None:
    counting = CountingEmbedder(corpus.embedder)
    with ContentCache(tmp_path / "sentences.sqlite") as cache:
        first = FactIndex.build(CHUNKS, counting, cache)
        assert counting.embedded == 5
        again = FactIndex.build(CHUNKS, counting, cache)
    assert counting.embedded == 5
    assert np.array_equal(first.vectors, again.vectors) and first.texts == again.texts


def test_the_retriever_seeds_pagerank_with_the_entities_of_the_nearest_sentences(corpus: Corpus) -> None:
    config = RetrievalConfig(fact_top=3, fact_seed=0.25)
    retriever = Retriever.build(corpus.store, corpus.embedder, corpus.tables, config, corpus.sentences)
    seen: list[dict[str, float]] = []
    seeds = retriever.graph.seeds
    retriever.graph.seeds = lambda entities, *rest: seen.append(dict(entities)) or seeds(entities, *rest)
    _, links, _ = retriever.rankings(TWO_HOP_QUESTION)
    vector = corpus.embedder.embed([TWO_HOP_QUESTION])[0]
    named = {link.entity_id for link in retriever.linker.link(TWO_HOP_QUESTION).entities}
    from_facts = [e for e in retriever.facts.seed_entities(vector, 3) if e not in named]
    assert from_facts, "the nearest sentences name an entity the question does not"
    assert sorted(link.entity_id for link in links if link.how == "fact") == sorted(from_facts)
    assert all(seen[0][e] == 0.25 for e in from_facts) and all(seen[0][e] == 1.0 for e in named)
    names = dict(corpus.tables.entities.select("entity_id", "name").iter_rows())
    assert "Marlow Analytics" in {names[e] for e in from_facts}  # the owner: the bridge the question never names

    off = Retriever.build(corpus.store, corpus.embedder, corpus.tables, RetrievalConfig(fact_top=0, fusion="rrf"))
    assert off.facts is None
    assert all(link.how != "fact" for link in off.rankings(TWO_HOP_QUESTION)[1])


def test_the_top_facts_are_the_best_scores_with_ties_by_index() -> None:
    rng = np.random.default_rng(7)
    for trial in range(200):
        n = int(rng.integers(1, 30))
        vectors = rng.normal(size=(n, 4)).astype(np.float32)
        if trial % 2:
            vectors[rng.integers(0, n, size=max(1, n // 2))] = vectors[0]  # equal scores at the cut
        facts = FactIndex([str(i) for i in range(n)], [[] for _ in range(n)], vectors)
        query = vectors[0] if trial % 3 else rng.normal(size=4).astype(np.float32)
        scores = facts.vectors @ (query / np.linalg.norm(query))
        for top in (1, 2, 3, n, n + 5):
            assert facts.top_facts(query, top) == [int(i) for i in np.lexsort((np.arange(n), -scores))[:top]]


def test_each_sentence_knows_its_chunk_and_each_chunk_gets_its_best_sentence_score(facts: FactIndex) -> None:
    assert facts.chunk_ids == ["c1", "c1", "c2", "c2", "c3"]  # sorted chunks, sentences in order
    rows = facts.sentence_rows({"c2": 0, "c3": 2})  # c1 is not one of the retriever's chunks here
    assert rows.tolist() == [-1, -1, 0, 0, 2]
    scores = np.array([0.9, 0.8, 0.1, 0.4, -0.2])
    assert FactIndex.best_per_chunk(scores, rows, 4).tolist() == pytest.approx([0.4, -1.0, -0.2, -1.0])
    query = facts.vectors[3] * 2.0
    assert facts.scores(query) == pytest.approx(facts.vectors @ facts.vectors[3])

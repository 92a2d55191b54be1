"""The same query gives the same items on the embedded store and on a real Neo4j holding the same graph."""

from __future__ import annotations

import pytest

from orc_ai.graph.loading import load_graph
from orc_ai.graph.neo4j_store import Neo4jGraphStore
from orc_ai.retrieve.retriever import Retriever
from orc_ai_tests.retrieve.conftest import Corpus
from orc_ai_tests.retrieve.test_retriever import QUESTIONS


@pytest.mark.slow
def test_embedded_and_neo4j_stores_give_the_same_items(corpus: Corpus, neo4j_server) -> None:
    store = Neo4jGraphStore.connect(neo4j_server.uri)
    try:
        store._run("MATCH (n) DETACH DELETE n")
        t = corpus.tables
        load_graph(store, t.raw_docs, t.chunks, t.entities, t.relations, corpus.embeddings)
        store.write_communities(t.communities)
        on_neo4j = Retriever.build(store, corpus.embedder, t, cache=corpus.sentences)
        embedded = Retriever.build(corpus.store, corpus.embedder, t, cache=corpus.sentences)
        for question in QUESTIONS:
            want, got = embedded.retrieve(question, k=8), on_neo4j.retrieve(question, k=8)
            assert [(i.chunk_id, i.doc_name, i.sources) for i in got.items] == [
                (i.chunk_id, i.doc_name, i.sources) for i in want.items
            ], question
            assert [i.score for i in got.items] == pytest.approx([i.score for i in want.items], rel=1e-3)
            assert [c.community_id for c in got.communities] == [c.community_id for c in want.communities]
    finally:
        store.close()

"""The asset chain with the Neo4j graph store, compared with the embedded store on the same corpus."""

from __future__ import annotations

import pytest
from neo4j import GraphDatabase

from orc_ai.embed.embedders import SentenceTransformerEmbedder
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.graph.loading import load_graph
from orc_ai.graph.neo4j_store import Neo4jGraphStore
from orc_ai_tests.assets.conftest import checks, metadata, table

pytestmark = pytest.mark.slow
QUERIES = [
    "Snowflake warehouse suspended during the nightly load",
    "Kafka consumer lag on shipment events",
    "expired Vault credentials for the FX rates DAG",
    "who is on call for the Data Platform team",
    "Stripe returned 429 rate limit errors",
]


KNOWLEDGE_GRAPH = ["raw_docs", "quarantined_docs", "chunks", "entities", "relations", "embeddings", "neo4j_graph",
                   "communities"]


def _ranked(hits) -> list[tuple[float, str]]:
    return sorted((-round(h.score, 4), h.id) for h in hits)


def test_chain_on_neo4j_matches_the_embedded_store(chain, sample_docs, bundled_chain, tmp_path, neo4j_server) -> None:
    with GraphDatabase.driver(neo4j_server.uri) as driver, driver.session() as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    env = {"ORC_AI_GRAPH_BACKEND": "neo4j", "ORC_AI_NEO4J_URI": neo4j_server.uri}
    neo_home, embedded_home = tmp_path / "neo", bundled_chain.home
    result = chain.run(neo_home, sample_docs, env=env)
    assert result.success and all(checks(result).values()), checks(result)
    assert metadata(result, "neo4j_graph")["backend"] == "neo4j"

    again = chain.run(neo_home, sample_docs, env=env)  # same input: same graph, nothing pruned
    assert metadata(again, "neo4j_graph")["pruned"] == {"documents": 0, "chunks": 0, "entities": 0, "relations": 0}

    in_process = metadata(again, "communities")
    gds = chain.run(neo_home, sample_docs, {"communities": {"algorithm": "gds"}}, selection=["communities"], env=env)
    assert gds.success and checks(gds) == {"communities_modularity": True, "communities_largest_share": True}
    in_database = metadata(gds, "communities")
    assert in_database["algorithm"] == "gds" and in_database["clustered_entities"] == in_process["clustered_entities"]
    assert abs(in_database["modularity"] - in_process["modularity"]) < 0.1, (in_database, in_process)

    back = chain.run(neo_home, sample_docs, selection=["communities"], env=env)  # leidenalg again, to compare
    assert back.success and metadata(back, "communities")["algorithm"] == "leidenalg"
    embedded = EmbeddedGraphStore(embedded_home / "graph")
    neo = Neo4jGraphStore.connect(neo4j_server.uri)
    try:
        assert neo.stats() == embedded.stats()
        vectors = SentenceTransformerEmbedder().embed(QUERIES)
        for vector in vectors:
            for kind in ("chunk", "entity"):
                # ties (entities with the same text) come in any order: rank by (score, id), then compare top 5
                got, want = (_ranked(store.vector_search(kind, vector, k=10)) for store in (neo, embedded))
                assert got[:5] == want[:5], (kind, got, want)
    finally:
        neo.close()


def test_a_rerun_with_another_extraction_leaves_neo4j_as_a_fresh_load(chain, sample_docs, tmp_path, neo4j_server):
    """The issue's reproduction: after re-materialising with fewer entities per chunk, the old MENTIONS stayed
    and the blocking counts check failed on every later run."""
    env = {"ORC_AI_GRAPH_BACKEND": "neo4j", "ORC_AI_NEO4J_URI": neo4j_server.uri}
    home = tmp_path / "neo"
    neo = Neo4jGraphStore.connect(neo4j_server.uri)
    try:
        neo._run("MATCH (n) DETACH DELETE n")
        # the knowledge graph only: the workflow and decision nodes the rest of the chain adds converge in
        # orc_ai_tests/graph/test_store_convergence.py
        first = chain.run(home, sample_docs, env=env, selection=KNOWLEDGE_GRAPH)
        assert first.success and checks(first)["neo4j_graph_counts_match"]
        before = neo.stats()
        config = {"entities": {"max_entities_per_chunk": 5}}
        second = chain.run(home, sample_docs, config, env=env, selection=KNOWLEDGE_GRAPH)
        assert second.success and checks(second)["neo4j_graph_counts_match"], checks(second)
        rerun = neo.dump()
        assert neo.stats().mentions < before.mentions  # the extraction did change

        neo._run("MATCH (n) DETACH DELETE n")
        tables = {name: table(home, name) for name in ("raw_docs", "chunks", "entities", "relations", "embeddings")}
        load_graph(neo, *tables.values())
        neo.write_communities(table(home, "communities"))
        fresh = neo.dump()
        assert rerun == fresh, (rerun.counts(), fresh.counts())
    finally:
        neo.close()

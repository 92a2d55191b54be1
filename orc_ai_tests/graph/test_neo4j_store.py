"""Neo4jGraphStore against a real Neo4j 5.26 started by scripts/neo4j-server."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from orc_ai.errors import GraphStoreError, InvalidGraphNameError
from orc_ai.graph.communities import cluster_from_levels
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.graph.loading import load_graph
from orc_ai.graph.neo4j_store import Neo4jGraphStore
from orc_ai_tests.conftest import start_neo4j

pytestmark = pytest.mark.slow
DIM = 8
HOSTILE = ["Robert'); DROP DATABASE neo4j; --", "back`tick` name", "}) DETACH DELETE n //", 'quote " and \\ slash']


def _vec(seed: int) -> list[float]:
    v = np.random.default_rng(seed).normal(size=DIM)
    return (v / np.linalg.norm(v)).astype(np.float32).tolist()


def _hex(i: int) -> str:
    return f"{i:016x}"


def small_graph(
    names: list[str] | None = None, edges: list[tuple[int, int, float]] | None = None
) -> dict[str, pl.DataFrame]:
    """Two documents, four chunks, entities (optionally with given names) and relations (a chain unless ``edges``
    gives (source, target, weight) by entity index), with vectors."""
    names = names or [f"entity {i}" for i in range(6)]
    n = len(names)
    array = pl.Array(pl.Float32, DIM)
    docs = pl.DataFrame(
        {
            "doc_id": ["d1", "d2"],
            "name": ["a.md", "b.md"],
            "title": ["A", "B"],
            "source_path": ["a.md", "b.md"],
            "format": ["md", "md"],
            "content_hash": ["h1", "h2"],
        }
    )
    chunks = pl.DataFrame(
        {
            "chunk_id": [_hex(100 + i) for i in range(4)],
            "doc_id": ["d1", "d1", "d1", "d2"],
            "chunk_index": [0, 1, 2, 0],
            "text": [f"chunk {i} text" for i in range(4)],
            "start_char": [0, 10, 20, 0],
            "end_char": [10, 20, 30, 10],
            "n_tokens": [3, 3, 3, 3],
            "content_hash": ["c0", "c1", "c2", "c3"],
        }
    )
    entities = pl.DataFrame(
        {
            "entity_id": [_hex(i) for i in range(n)],
            "name": names,
            "type": ["System" if i % 2 else "Team" for i in range(n)],
            "aliases": [[f"alias {i}"] for i in range(n)],
            "description": [f"description {i}" for i in range(n)],
            "mention_count": [1] * n,
            "chunk_ids": [[_hex(100 + i % 4)] for i in range(n)],
            "doc_count": [1] * n,
        }
    )
    edges = edges or [(i, i + 1, 0.5) for i in range(n - 1)]
    pairs = [(a, b) for a, b, _ in edges]
    relations = pl.DataFrame(
        {
            "relation_id": [_hex(1000 + k) for k in range(len(pairs))],
            "source_id": [_hex(a) for a, _ in pairs],
            "target_id": [_hex(b) for _, b in pairs],
            "type": ["CO_OCCURS" if k % 2 else "DEPENDS_ON" for k in range(len(pairs))],
            "description": ["" for _ in pairs],
            "cooccurrences": [1] * len(pairs),
            "weight": [w for _, _, w in edges],
            "strength": [1.0] * len(pairs),
            "evidence_chunk_ids": [[_hex(100 + a % 4)] for a, _ in pairs],
        }
    )
    embeddings = pl.DataFrame(
        {
            "id": chunks["chunk_id"].to_list() + entities["entity_id"].to_list(),
            "kind": ["chunk"] * 4 + ["entity"] * n,
            "model": ["test"] * (4 + n),
            "vector": [_vec(i) for i in range(4 + n)],
        }
    ).with_columns(pl.col("vector").cast(array))
    return {"documents": docs, "chunks": chunks, "entities": entities, "relations": relations, "embeddings": embeddings}


def load(store, graph: dict[str, pl.DataFrame]):
    return load_graph(
        store, graph["documents"], graph["chunks"], graph["entities"], graph["relations"], graph["embeddings"]
    )


@pytest.fixture
def store(neo4j_server) -> Neo4jGraphStore:
    s = Neo4jGraphStore.connect(neo4j_server.uri, batch_size=2)
    with s.driver.session() as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    yield s
    s.close()


def test_schema_creation_is_idempotent(store: Neo4jGraphStore) -> None:
    store.ensure_schema()
    first = store._read("SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name")
    store.ensure_schema()
    assert store._read("SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name") == first
    assert {r["name"] for r in first} >= {"document_id", "chunk_id", "entity_id", "community_id"}


def test_loading_twice_leaves_identical_counts_and_properties(store: Neo4jGraphStore) -> None:
    graph = small_graph()
    stats, _ = load(store, graph)
    snapshot = store._read("MATCH (e:Entity) RETURN e.entity_id AS id, properties(e) AS p, labels(e) AS l ORDER BY id")
    again, pruned = load(store, graph)
    assert again == stats and set(pruned.values()) == {0}
    assert (stats.documents, stats.chunks, stats.entities, stats.relations) == (2, 4, 6, 5)
    assert (stats.mentions, stats.next_chunk) == (6, 2)
    assert (
        store._read("MATCH (e:Entity) RETURN e.entity_id AS id, properties(e) AS p, labels(e) AS l ORDER BY id")
        == snapshot
    )
    assert sorted(store._read("MATCH (e:Entity:Team) RETURN count(e) AS n")[0].values()) == [3]


_SNAPSHOT = """
MATCH (n) OPTIONAL MATCH (n)-[r]->(m)
WITH n, r, m ORDER BY type(r), coalesce(r.relation_id, ''), coalesce(m.entity_id, m.chunk_id, '')
WITH n, collect([type(r), properties(r), coalesce(m.entity_id, m.chunk_id, m.doc_id)]) AS out
RETURN labels(n) AS labels, properties(n) AS props, out
ORDER BY coalesce(n.entity_id, n.chunk_id, n.doc_id)
"""


def test_parallel_sessions_write_the_same_graph_as_one(store: Neo4jGraphStore) -> None:
    names = [f"entity {i}" for i in range(60)]
    graph = small_graph(names, _planted_cliques(6, 10))
    snapshots = []
    for sessions in (1, 4):
        with store.driver.session() as session:
            session.run("MATCH (n) DETACH DELETE n").consume()
        store.write_concurrency = sessions
        load(store, graph)
        snapshots.append(store._read(_SNAPSHOT))
    assert len(snapshots[0]) == 2 + 4 + 60 and snapshots[1] == snapshots[0]


def test_a_deadlocked_batch_is_rerun_whole_after_the_other_commits(store: Neo4jGraphStore, caplog) -> None:
    store._run("UNWIND ['a', 'b'] AS id MERGE (:DeadlockProbe {id: id})")
    # each row locks its node, then waits: two batches locking a, b and b, a in opposite orders deadlock
    query = (
        "UNWIND $rows AS row MATCH (n:DeadlockProbe {id: row.id}) SET n.writer = row.writer "
        "WITH row CALL apoc.util.sleep(400) RETURN count(*) AS n"
    )
    caplog.set_level(logging.DEBUG, logger="orc_ai.graph.neo4j_store")
    start = threading.Barrier(2)

    def write(order: str) -> int:
        start.wait()
        return store._write(query, pl.DataFrame({"id": list(order), "writer": [order, order]}), size=10)

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(write, order) for order in ("ab", "ba")]
        assert [f.result(timeout=60) for f in futures] == [2, 2]
    assert any("lost a deadlock" in record.getMessage() for record in caplog.records)
    writers = store._read("MATCH (n:DeadlockProbe) RETURN collect(DISTINCT n.writer) AS w")[0]["w"]
    assert len(writers) == 1  # the victim's batch ran again, whole, after the winner committed


def test_removed_rows_are_pruned_and_changed_types_relabelled(store: Neo4jGraphStore) -> None:
    load(store, small_graph())
    graph = small_graph()
    graph["entities"] = graph["entities"].with_columns(
        pl.when(pl.col("entity_id") == _hex(0)).then(pl.lit("Person")).otherwise("type").alias("type")
    )
    graph["chunks"] = graph["chunks"].filter(pl.col("chunk_id") != _hex(103))
    graph["documents"] = graph["documents"].filter(pl.col("doc_id") == "d1")
    graph["relations"] = graph["relations"].head(2)
    stats, pruned = load(store, graph)
    assert pruned == {"documents": 1, "chunks": 1, "entities": 0, "relations": 3}
    assert (stats.documents, stats.chunks, stats.relations) == (1, 3, 2)
    labels = store._read("MATCH (e:Entity {entity_id: $id}) RETURN labels(e) AS l", id=_hex(0))[0]["l"]
    assert sorted(labels) == ["Entity", "Person"]


def test_an_entity_given_core_labels_by_an_older_load_loses_them_and_survives(store: Neo4jGraphStore) -> None:
    graph = small_graph()
    load(store, graph)
    store._run("MATCH (e:Entity {entity_id: $id}) SET e:Community:Document:Chunk", id=_hex(0))  # type was 'Community'
    stats, pruned = load(store, graph)
    store.write_communities(
        pl.DataFrame(
            {"community_id": ["c0"], "level": [0], "parent_id": [None], "entity_ids": [[_hex(0)]], "size": [1]}
        )
    )
    labels = store._read("MATCH (e:Entity {entity_id: $id}) RETURN labels(e) AS l", id=_hex(0))
    assert [sorted(r["l"]) for r in labels] == [["Entity", "Team"]]
    assert (store.stats().documents, store.stats().chunks, store.stats().communities) == (2, 4, 1)
    assert store.stats().in_community == 1 and set(pruned.values()) == {0}


def test_hostile_names_are_stored_verbatim_and_hostile_labels_rejected(store: Neo4jGraphStore) -> None:
    graph = small_graph(HOSTILE + ["plain"])
    stats, _ = load(store, graph)
    assert stats.entities == len(HOSTILE) + 1
    stored = {r["name"] for r in store._read("MATCH (e:Entity) RETURN e.name AS name")}
    assert stored == set(HOSTILE) | {"plain"}
    assert store._read("MATCH (d:Document) RETURN count(d) AS n")[0]["n"] == 2  # nothing deleted
    bad = small_graph()
    bad["entities"] = bad["entities"].with_columns(pl.lit("X`) DETACH DELETE n //").alias("type"))
    with pytest.raises(InvalidGraphNameError):
        store.upsert_entities(
            bad["entities"].join(bad["embeddings"].select(pl.col("id").alias("entity_id"), "vector"), on="entity_id")
        )
    bad_rel = small_graph()["relations"].with_columns(pl.lit("RELATED TO").alias("type"))
    with pytest.raises(InvalidGraphNameError):
        store.upsert_relations(bad_rel)
    assert store.stats().entities == len(HOSTILE) + 1


def test_retrieval_returns_the_shapes_of_the_embedded_store(store: Neo4jGraphStore, tmp_path: Path) -> None:
    graph = small_graph()
    load(store, graph)
    embedded = EmbeddedGraphStore(tmp_path / "graph")
    load(embedded, graph)
    for seed in range(10):
        query = np.asarray(_vec(seed), dtype=np.float32)
        for kind in ("chunk", "entity"):
            neo, emb = store.vector_search(kind, query, k=3), embedded.vector_search(kind, query, k=3)
            assert [h.id for h in neo] == [h.id for h in emb]
            assert np.allclose([h.score for h in neo], [h.score for h in emb], atol=1e-4)
    assert store.neighbourhood([_hex(0)], hops=2) == embedded.neighbourhood([_hex(0)], hops=2)
    assert [h.id for h in store.fulltext_search("entity", "alias 3")][:1] == [_hex(3)]
    assert [h.id for h in embedded.fulltext_search("entity", "alias 3")][:1] == [_hex(3)]
    communities = pl.DataFrame(
        {
            "community_id": ["c0", "c1"],
            "level": [0, 1],
            "parent_id": [None, "c0"],
            "entity_ids": [[_hex(0), _hex(1)], [_hex(0)]],
            "size": [2, 1],
            "title": ["t0", "t1"],
            "summary": ["s0", "s1"],
            "summary_source": ["x", "x"],
        }
    )
    store.write_communities(communities)
    embedded.write_communities(communities)
    assert store.communities_of(_hex(0)) == embedded.communities_of(_hex(0))
    assert store.stats() == embedded.stats()
    assert store._read("MATCH (:Community {community_id: 'c1'})-[:PARENT]->(p) RETURN p.community_id AS p") == [
        {"p": "c0"}
    ]


def _planted_cliques(n_cliques: int, size: int) -> list[tuple[int, int, float]]:
    """Dense cliques of entity indexes joined in a ring by one weak edge each."""
    edges = []
    for c in range(n_cliques):
        members = range(c * size, (c + 1) * size)
        edges += [(a, b, 1.0) for a in members for b in members if a < b]
        edges.append((c * size, ((c + 1) % n_cliques) * size, 0.05))
    return edges


def _wipe(store: Neo4jGraphStore) -> None:
    with store.driver.session() as session:
        session.run("MATCH (n) DETACH DELETE n").consume()


def test_gds_leiden_runs_in_the_database_and_finds_the_planted_communities(store: Neo4jGraphStore) -> None:
    assert store.has_gds()
    assert store.leiden_levels().is_empty()  # no relations: nothing to cluster
    graph = small_graph([f"entity {i}" for i in range(20)], _planted_cliques(4, 5))
    load(store, graph)
    levels = store.leiden_levels(seed=7)
    result = cluster_from_levels(levels, store.entity_edges(), max_cluster_size=10)
    level0 = result.communities.filter(pl.col("level") == 0)["entity_ids"].to_list()
    assert sorted(level0) == sorted(sorted(_hex(c * 5 + i) for i in range(5)) for c in range(4))
    assert result.modularity > 0.6
    assert store._read("CALL gds.graph.list() YIELD graphName RETURN count(*) AS n") == [{"n": 0}]  # dropped


def test_seeded_gds_leiden_does_not_depend_on_the_order_nodes_were_written(store: Neo4jGraphStore) -> None:
    # a ring of equal cliques: which neighbours Leiden merges depends on the order it visits nodes
    ring = [(a, b, 1.0) for a, b, _ in _planted_cliques(16, 4)]
    graph = small_graph([f"entity {i}" for i in range(64)], ring)
    tables = []
    for order in (lambda f: f, lambda f: f.reverse()):
        _wipe(store)
        load(store, {**graph, "entities": order(graph["entities"]), "relations": order(graph["relations"])})
        tables.append(cluster_from_levels(store.leiden_levels(seed=3), store.entity_edges()).communities)
    assert tables[0].equals(tables[1])


def test_gds_leiden_uses_the_relation_weights(store: Neo4jGraphStore) -> None:
    # a complete graph: without weights no split beats one community; weights make two groups of four
    edges = [(a, b, 5.0 if (a < 4) == (b < 4) else 0.01) for a in range(8) for b in range(8) if a < b]
    load(store, small_graph([f"entity {i}" for i in range(8)], edges))
    levels = store.leiden_levels(seed=1)
    coarsest = levels.with_columns(pl.col("community_ids").list.last().alias("c")).group_by("c").agg("entity_id")
    assert sorted(sorted(ids) for ids in coarsest["entity_id"].to_list()) == [
        [_hex(i) for i in range(4)],
        [_hex(i) for i in range(4, 8)],
    ]


def test_a_server_killed_mid_load_then_restarted_converges(tmp_path_factory) -> None:
    server = start_neo4j(tmp_path_factory, "neo4j_crash")
    graph = small_graph([f"entity {i}" for i in range(400)])
    try:
        store = Neo4jGraphStore.connect(server.uri, batch_size=5, max_retry_seconds=3)
        errors: list[Exception] = []

        def run_load() -> None:
            try:
                load(store, graph)
            except Exception as exc:  # noqa: BLE001 — the crash may surface as any driver error
                errors.append(exc)

        loader = threading.Thread(target=run_load)
        loader.start()
        while store._read("MATCH (e:Entity) RETURN count(e) AS n")[0]["n"] < 50:
            pass
        server.kill()
        loader.join(timeout=120)
        assert errors, "the load should have failed when the server died"
        store.close()
        server.start()
        store = Neo4jGraphStore.connect(server.uri, batch_size=50)
        partial = store.stats().entities
        assert partial >= 50 and partial % 5 == 0  # committed batches survived the crash, whole
        stats, _ = load(store, graph)
        assert (stats.entities, stats.relations, stats.mentions) == (400, 399, 400)
        store.close()
    finally:
        server.stop()


def test_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(GraphStoreError, match="cannot reach Neo4j"):
        Neo4jGraphStore.connect("bolt://127.0.0.1:1")

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from orc_ai.errors import InvalidGraphNameError
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.graph.store import validate_graph_name

DIM = 8


def _vec(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def _hex(i: int) -> str:
    return f"{i:016x}"


def _entities(ids: list[int], type_: str = "System") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "entity_id": [_hex(i) for i in ids],
            "name": [f"e{i}" for i in ids],
            "type": [type_] * len(ids),
            "chunk_ids": [[_hex(100 + i)] for i in ids],
            "vector": np.stack([_vec(i) for i in ids]),
        }
    ).with_columns(pl.col("vector").cast(pl.Array(pl.Float32, DIM)))


def _relations(pairs: list[tuple[int, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "relation_id": [_hex(1000 + n) for n in range(len(pairs))],
            "source_id": [_hex(a) for a, _ in pairs],
            "target_id": [_hex(b) for _, b in pairs],
            "type": ["CO_OCCURS"] * len(pairs),
            "weight": [1.0] * len(pairs),
            "evidence_chunk_ids": [[_hex(100 + a)] for a, _ in pairs],
        }
    )


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedGraphStore:
    s = EmbeddedGraphStore(tmp_path / "graph")
    s.ensure_schema()
    s.upsert_entities(_entities(list(range(1, 11))))
    s.upsert_relations(_relations([(1, 2), (2, 3), (3, 4), (5, 6)]))
    return s


def test_vector_search_finds_the_exact_vector_first(store: EmbeddedGraphStore) -> None:
    hits = store.vector_search("entity", _vec(7), k=3)
    assert hits[0].id == _hex(7) and hits[0].score == pytest.approx(1.0, abs=1e-5)
    assert len(hits) == 3 and hits[0].score >= hits[1].score >= hits[2].score


def test_upsert_is_idempotent_and_replaces_rows_and_vectors(store: EmbeddedGraphStore, tmp_path: Path) -> None:
    store.upsert_entities(_entities([1, 2, 3]))
    assert store.stats().entities == 10
    moved = _entities([3]).with_columns(pl.Series("vector", [_vec(99)], dtype=pl.Array(pl.Float32, DIM)))
    store.upsert_entities(moved)
    reopened = EmbeddedGraphStore(tmp_path / "graph")  # index state survives a new process
    assert reopened.vector_search("entity", _vec(99), k=1)[0].id == _hex(3)
    assert reopened.stats().entities == 10


def test_prune_removes_stale_rows_from_tables_and_index(store: EmbeddedGraphStore) -> None:
    removed = store.prune({"entities": {_hex(i) for i in range(1, 6)}})
    assert removed == {"entities": 5}
    assert all(int(h.id, 16) <= 5 for h in store.vector_search("entity", _vec(8), k=10))


def test_k_hop_neighbourhood_with_evidence(store: EmbeddedGraphStore) -> None:
    one = store.neighbourhood([_hex(1)], hops=1)
    assert one.entity_ids == [_hex(1), _hex(2)]
    two = store.neighbourhood([_hex(1)], hops=2)
    assert two.entity_ids == [_hex(1), _hex(2), _hex(3)]
    assert {r["relation_id"] for r in two.relations} == {_hex(1000), _hex(1001)}
    assert two.evidence_chunk_ids == [_hex(101), _hex(102)]


def test_communities_and_stats(store: EmbeddedGraphStore) -> None:
    store.write_communities(
        pl.DataFrame(
            {
                "community_id": ["c0", "c1"],
                "level": [0, 1],
                "parent_id": [None, "c0"],
                "entity_ids": [[_hex(1), _hex(2)], [_hex(1)]],
                "size": [2, 1],
                "title": ["t0", "t1"],
            }
        )
    )
    assert [c["community_id"] for c in store.communities_of(_hex(1))] == ["c0", "c1"]
    stats = store.stats()
    assert (stats.entities, stats.relations, stats.communities, stats.mentions, stats.in_community) == (10, 4, 2, 0, 3)
    # a MENTIONS link needs its chunk, as in Neo4j: the entities' chunks arrive, and so do their links
    store.upsert_chunks(
        pl.DataFrame(
            {
                "chunk_id": [_hex(100 + i) for i in range(1, 11)],
                "doc_id": ["d"] * 10,
                "chunk_index": list(range(10)),
                "text": [f"chunk {i}" for i in range(10)],
                "vector": np.stack([_vec(100 + i) for i in range(10)]),
            }
        ).with_columns(pl.col("vector").cast(pl.Array(pl.Float32, DIM)))
    )
    stats = store.stats()
    assert (stats.chunks, stats.mentions, stats.next_chunk, stats.has_chunk) == (10, 10, 9, 0)


@pytest.mark.parametrize("name", ["Person", "DEPENDS_ON", "Entity2"])
def test_valid_graph_names_pass(name: str) -> None:
    assert validate_graph_name(name) == name


@pytest.mark.parametrize("name", ["", "1abc", "a b", "x`y", "}) DETACH DELETE n //", "é"])
def test_hostile_graph_names_are_rejected(name: str, store: EmbeddedGraphStore) -> None:
    with pytest.raises(InvalidGraphNameError):
        validate_graph_name(name)
    with pytest.raises(InvalidGraphNameError):
        store.upsert_entities(_entities([42], type_=name))

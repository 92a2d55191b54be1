"""Both graph stores: a load after any upstream change holds exactly what a fresh load of the same tables does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from orc_ai.errors import GraphStoreError
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.graph.links import dump_tables, table_stats
from orc_ai.graph.models import GraphDump
from orc_ai_tests.graph.decision_runs import decisions_citing_runs, expected, load_with_decisions, run_links
from orc_ai_tests.graph.graph_tables import (
    SCENARIOS,
    Tables,
    base_tables,
    communities_of,
    load,
    removed_document,
    vector,
    with_embeddings,
)
from orc_ai_tests.graph.workflow_tables import CHANGES, base_inputs, expected_tables, load_all


def expected_dump(tables: Tables) -> GraphDump:
    return dump_tables({**tables, "communities": communities_of(tables)})


def _diff(got: GraphDump, want: GraphDump) -> str:
    nodes = {n.key: n for n in got.nodes}, {n.key: n for n in want.nodes}
    wrong = [k for k in sorted(set(nodes[0]) | set(nodes[1])) if nodes[0].get(k) != nodes[1].get(k)]
    rels = {repr(r) for r in got.relationships}, {repr(r) for r in want.relationships}
    return f"counts {got.counts()} vs {want.counts()}; nodes differ {wrong[:3]}; extra {sorted(rels[0] - rels[1])[:2]}"


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_a_rerun_after_an_upstream_change_equals_a_fresh_load(new_store, scenario: str) -> None:
    before, after = base_tables(), SCENARIOS[scenario](base_tables())
    store = new_store()
    load(store, before)
    load(store, after)
    rerun, rerun_stats = store.dump(), store.stats()
    fresh = new_store()
    load(fresh, after)
    want = expected_dump(after)
    assert rerun == want, _diff(rerun, want)
    assert fresh.dump() == want, _diff(fresh.dump(), want)
    assert rerun_stats == table_stats({**after, "communities": communities_of(after)})


def test_the_dump_holds_every_kind_of_node_and_link(new_store) -> None:
    store = new_store()
    load(store, base_tables())
    counts = store.dump().counts()
    kinds = {"HAS_CHUNK", "NEXT_CHUNK", "MENTIONS", "CO_OCCURS", "DEPENDS_ON", "IN_COMMUNITY", "PARENT"}
    assert kinds | {"Document", "Chunk", "Entity", "Community", "System", "Team"} <= set(counts)
    assert (counts["Document"], counts["Chunk"], counts["Entity"], counts["NEXT_CHUNK"]) == (3, 9, 9, 6)
    entity = next(n for n in store.dump().nodes if n.key.startswith("Entity:"))
    assert "vector" not in entity.properties and "embedding" not in entity.properties
    assert entity.properties["name"] == "entity 0" and "description" not in entity.properties  # null: absent


def test_entity_types_named_like_core_labels_corrupt_no_count_prune_or_community(new_store) -> None:
    tables = base_tables()
    ids = tables["entities"]["entity_id"].to_list()
    core = {ids[0]: "Document", ids[1]: "Chunk", ids[2]: "Entity", ids[3]: "Community"}
    tables["entities"] = tables["entities"].with_columns(
        pl.col("entity_id").replace_strict(core, default=pl.col("type")).alias("type")
    )
    store = new_store()
    load(store, tables)
    stats = store.stats()
    assert (stats.documents, stats.chunks, stats.entities, stats.communities) == (
        3,
        9,
        9,
        communities_of(tables).height,
    )
    assert stats == table_stats({**tables, "communities": communities_of(tables)})
    labels = {n.key: n.labels for n in store.dump().nodes}
    assert all(labels[f"Entity:{i}"] == ["Entity"] for i in core)  # the type stays a property
    assert store.dump() == expected_dump(tables)
    after = removed_document(tables)
    _, pruned = load(store, after)
    assert pruned["documents"] == 1 and store.dump() == expected_dump(after)


def test_vectors_of_another_dimension_rebuild_the_index(new_store) -> None:
    tables = base_tables()
    store = new_store()
    load(store, tables)
    wider = with_embeddings(tables, dim=16)  # another embedding model
    load(store, wider)
    for kind, table, key in (("chunk", "chunks", "chunk_id"), ("entity", "entities", "entity_id")):
        for node_id in tables[table][key].to_list():
            hits = store.vector_search(kind, np.asarray(vector(node_id, 16), dtype=np.float32), k=3)
            assert hits[0].id == node_id and hits[0].score == pytest.approx(1.0, abs=1e-4), (kind, node_id, hits)
    assert store.dump() == expected_dump(tables)
    load(store, tables)  # and back
    chunk = tables["chunks"]["chunk_id"][0]
    assert store.vector_search("chunk", np.asarray(vector(chunk), dtype=np.float32), k=1)[0].id == chunk


def test_a_failed_community_write_keeps_the_previous_communities(new_store, monkeypatch) -> None:
    tables = base_tables()
    store = new_store()
    load(store, tables)
    before = store.dump()
    recomputed = communities_of(removed_document(tables))
    broken = pl.concat([recomputed, recomputed.head(1)])  # a duplicate id fails the write after the other rows
    with pytest.raises(GraphStoreError, match="communit"):
        store.write_communities(broken)
    assert store.dump() == before
    if isinstance(store, EmbeddedGraphStore):  # the file is replaced whole: a failed write leaves the old one

        def half_written(self, path, *args, **kwargs):
            Path(path).write_bytes(b"PAR1 half a file")
            raise OSError("disk full")

        monkeypatch.setattr(pl.DataFrame, "write_parquet", half_written)
        with pytest.raises(OSError, match="disk full"):
            store.write_communities(recomputed)
        monkeypatch.undo()
        assert store.dump() == before
    assert store.stats().communities == communities_of(tables).height


def test_an_id_twice_in_one_batch_is_one_node_and_the_last_row_wins(new_store) -> None:
    tables = with_embeddings(base_tables())
    entities = tables["entities"]
    renamed = entities.head(1).with_columns(pl.lit("entity 0, renamed").alias("name"))
    store = new_store()  # as a MERGE ... SET of both rows leaves it
    load(store, {**tables, "entities": pl.concat([entities, renamed])}, communities=False)
    nodes = [n for n in store.dump().nodes if n.key.startswith("Entity:")]
    assert len(nodes) == entities.height
    first = next(n for n in nodes if n.key == f"Entity:{entities['entity_id'][0]}")
    assert first.properties["name"] == "entity 0, renamed"


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_rerun_after_a_workflow_change_equals_a_fresh_load(new_store, change: str) -> None:
    before, after = base_inputs(), CHANGES[change](base_inputs())
    decisions = decisions_citing_runs(before)
    store = new_store()
    load_with_decisions(store, before, decisions)
    assert len(run_links(store.dump())) == 6  # every cited try in the graph is linked
    load_all(store, after)  # the workflow graph changed; the decisions are not written again
    want = expected(after, decisions)
    assert store.dump() == want, (store.dump().counts(), want.counts())
    load_with_decisions(store, after, decisions)  # and the agent ran again
    assert store.dump() == want
    assert store.stats() == table_stats({**expected_tables(after), "decisions": decisions})
    load_with_decisions(store, before, decisions)  # the change undone: pruned runs come back with their links
    assert store.dump() == expected(before, decisions)
    fresh = new_store()
    load_with_decisions(fresh, after, decisions)
    assert fresh.dump() == want
    if change in ("removed_dag", "removed_task"):
        assert len(run_links(want)) < 6  # the pruned runs took their links

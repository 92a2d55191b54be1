"""Decision nodes in both graph stores: CITES chunks and ABOUT entities that exist, replaced by an upsert, removed
with their chunks and entities, and a re-load after any change equal to a fresh load."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import polars as pl
import pytest

from orc_ai.errors import GraphStoreError
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.graph.links import dump_tables, table_stats
from orc_ai.graph.models import DecisionWrite, GraphDump
from orc_ai_tests.graph.graph_tables import SCENARIOS, Tables, base_tables, communities_of, load, removed_document


def decisions_of(tables: Tables, version: str = "offline-1") -> pl.DataFrame:
    """Four decisions over ``tables``: citing 1-3 chunks and about 0-2 entities, one citing an unknown chunk."""
    chunks, entities = tables["chunks"]["chunk_id"].to_list(), tables["entities"]["entity_id"].to_list()
    rows = []
    for i in range(4):
        rows.append(
            {
                "decision_id": f"dec{i}-{version}",
                "event_id": f"question:{i:04d}",
                "event_type": "question" if i % 2 else "airflow_task_failure",
                "status": "awaiting_approval" if i == 3 else "decided",
                "decision": f"decision {i}",
                "planner_version": version,
                "created_at": datetime(2026, 12, 1, 9, i, tzinfo=UTC),
                "cited_chunk_ids": [chunks[(i + k * 3) % len(chunks)] for k in range(1 + i % 3)]
                + (["no-such-chunk"] if i == 2 else []),
                "about_entity_ids": [entities[(i * 2 + k) % len(entities)] for k in range(i % 3)],
            }
        )
    return pl.DataFrame(rows, schema_overrides={"about_entity_ids": pl.List(pl.String)})


def load_all(store, tables: Tables, decisions: pl.DataFrame) -> DecisionWrite:
    """The knowledge graph, then the decisions, pruning decisions that are gone (as the chain would)."""
    load(store, tables)
    written = store.upsert_decisions(decisions)
    store.prune({"decisions": set(decisions["decision_id"].to_list())})
    return written


def expected(tables: Tables, decisions: pl.DataFrame) -> GraphDump:
    return dump_tables({**tables, "communities": communities_of(tables), "decisions": decisions})


def _counts(dump: GraphDump) -> dict[str, int]:
    counts = dump.counts()
    return {k: counts.get(k, 0) for k in ("Decision", "CITES", "ABOUT")}


def test_decisions_link_to_cited_chunks_and_entities_and_skip_what_is_missing(new_store) -> None:
    tables = base_tables()
    store = new_store()
    decisions = decisions_of(tables)
    written = load_all(store, tables, decisions)
    assert written == DecisionWrite(decisions=4, cites=7, about=3, missing_chunks=1, missing_entities=0)
    dump = store.dump()
    assert dump == expected(tables, decisions)
    assert _counts(dump) == {"Decision": 4, "CITES": 7, "ABOUT": 3}
    node = next(n for n in dump.nodes if n.key == "Decision:dec3-offline-1")
    assert node.labels == ["Decision"] and node.properties == {
        "decision_id": "dec3-offline-1",
        "event_id": "question:0003",
        "event_type": "question",
        "status": "awaiting_approval",
        "decision": "decision 3",
        "planner_version": "offline-1",
        "created_at": "2026-12-01T09:03:00.000000Z",
    }
    stats = store.stats()
    assert (stats.decisions, stats.cites, stats.about) == (4, 7, 3)
    assert stats == table_stats({**tables, "communities": communities_of(tables), "decisions": decisions})


def test_an_upsert_replaces_a_decisions_links_and_properties(new_store) -> None:
    tables = base_tables()
    store = new_store()
    decisions = decisions_of(tables)
    load_all(store, tables, decisions)
    chunk = tables["chunks"]["chunk_id"][8]
    revised = decisions.with_columns(
        pl.when(pl.col("decision_id") == "dec1-offline-1")
        .then(pl.lit([chunk]))
        .otherwise("cited_chunk_ids")
        .alias("cited_chunk_ids"),
        pl.when(pl.col("decision_id") == "dec1-offline-1")
        .then(pl.lit([], dtype=pl.List(pl.String)))
        .otherwise("about_entity_ids")
        .alias("about_entity_ids"),
        pl.when(pl.col("decision_id") == "dec3-offline-1").then(pl.lit("approved")).otherwise("status").alias("status"),
    )
    written = store.upsert_decisions(revised.filter(pl.col("decision_id").is_in(["dec1-offline-1", "dec3-offline-1"])))
    assert (written.decisions, written.missing_chunks) == (2, 0)
    assert store.dump() == expected(tables, revised)
    links = {(r.type, r.target) for r in store.dump().relationships if r.source == "Decision:dec1-offline-1"}
    assert links == {("CITES", f"Chunk:{chunk}")}
    assert store.upsert_decisions(revised) == store.upsert_decisions(revised)  # idempotent
    assert store.dump() == expected(tables, revised)


def test_pruned_chunks_and_entities_take_their_links_and_do_not_bring_them_back(new_store) -> None:
    tables = base_tables()
    store = new_store()
    decisions = decisions_of(tables)
    load_all(store, tables, decisions)
    after = removed_document(tables)
    load(store, after)  # the knowledge graph changes; the decisions are not written again
    assert store.dump() == expected(after, decisions)
    assert _counts(store.dump())["CITES"] < 7
    load(store, tables)  # the document comes back: a link is restored only when its decision is written again
    kept = decisions.with_columns(
        pl.col("cited_chunk_ids").list.set_intersection(after["chunks"]["chunk_id"].implode()),
        pl.col("about_entity_ids").list.set_intersection(after["entities"]["entity_id"].implode()),
    )
    assert store.dump() == expected(tables, kept) != expected(tables, decisions)
    store.upsert_decisions(decisions)
    assert store.dump() == expected(tables, decisions)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_a_reload_after_an_upstream_change_equals_a_fresh_load(new_store, scenario: str) -> None:
    before, after = base_tables(), SCENARIOS[scenario](base_tables())
    old, new = decisions_of(before, "offline-1"), decisions_of(after, "offline-2")
    new = pl.concat([old.head(2), new])  # two decisions kept, four replaced by another planner's
    store = new_store()
    load_all(store, before, old)
    load_all(store, after, new)
    rerun, rerun_stats = store.dump(), store.stats()
    fresh = new_store()
    load_all(fresh, after, new)
    want = expected(after, new)
    assert rerun == want and fresh.dump() == want, (rerun.counts(), want.counts())
    assert rerun_stats == table_stats({**after, "communities": communities_of(after), "decisions": new})
    assert rerun_stats.decisions == 6


def test_communities_rewritten_and_entities_typed_decision_leave_decisions_alone(new_store) -> None:
    tables = base_tables()
    ids = tables["entities"]["entity_id"].to_list()
    tables["entities"] = tables["entities"].with_columns(
        pl.when(pl.col("entity_id") == ids[0]).then(pl.lit("Decision")).otherwise("type").alias("type")
    )
    store = new_store()
    decisions = decisions_of(tables)
    load_all(store, tables, decisions)
    store.write_communities(communities_of(removed_document(tables)))
    store.write_communities(communities_of(tables))
    assert store.stats().decisions == 4  # an entity typed "Decision" is no decision
    assert next(n for n in store.dump().nodes if n.key == f"Entity:{ids[0]}").labels == ["Entity"]
    assert store.dump() == expected(tables, decisions)


def test_bad_decision_rows_are_refused_and_leave_the_graph_as_it_was(new_store) -> None:
    tables = base_tables()
    store = new_store()
    decisions = decisions_of(tables)
    load_all(store, tables, decisions)
    before = store.dump()
    with pytest.raises(GraphStoreError, match="duplicate"):
        store.upsert_decisions(pl.concat([decisions, decisions.head(1)]))
    with pytest.raises(GraphStoreError, match="cited_chunk_ids"):
        store.upsert_decisions(decisions.drop("cited_chunk_ids"))
    assert store.dump() == before
    assert store.upsert_decisions(decisions.head(0)) == DecisionWrite()


def test_created_at_is_utc_text_whatever_the_input_zone(new_store) -> None:
    tables = base_tables()
    store = new_store()
    local = timezone(timedelta(hours=-5))
    decisions = (
        decisions_of(tables)
        .head(1)
        .with_columns(pl.lit(datetime(2026, 12, 1, 4, 30, tzinfo=local)).alias("created_at"))
    )
    load_all(store, tables, decisions)
    node = next(n for n in store.dump().nodes if n.key.startswith("Decision:"))
    assert node.properties["created_at"] == "2026-12-01T09:30:00.000000Z"


def test_the_graph_counts_gate_ignores_the_decisions_the_agent_wrote(tmp_path: Path) -> None:
    """The blocking neo4j_graph_counts_match compares the store with the knowledge-graph tables only."""
    from orc_ai_tests.graph.test_counts_check import _check

    tables = base_tables()
    store = EmbeddedGraphStore(tmp_path)
    load(store, tables, communities=False)
    store.upsert_decisions(decisions_of(tables))
    result = _check(tmp_path, tables)
    assert result.passed, result.metadata["differ"].value

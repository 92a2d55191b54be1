"""The blocking ``neo4j_graph_counts_match`` check, on a real (embedded) store loaded from small tables."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl

from orc_ai.checks.graph import neo4j_graph_counts_match
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.resources.graph_store import GraphStoreResource
from orc_ai_tests.graph.graph_tables import SCENARIOS, Tables, base_tables, load


def _check(store_path: Path, tables: Tables) -> dg.AssetCheckResult:
    with dg.build_resources({"graph_store": GraphStoreResource(path=str(store_path))}) as resources:
        return neo4j_graph_counts_match(
            graph_store=resources.graph_store,
            raw_docs=tables["documents"],
            chunks=tables["chunks"],
            entities=tables["entities"],
            relations=tables["relations"],
        )


def test_the_check_passes_on_the_tables_the_store_holds(tmp_path: Path) -> None:
    tables = base_tables()
    load(EmbeddedGraphStore(tmp_path), tables, communities=False)
    result = _check(tmp_path, tables)
    assert result.passed and result.metadata["differ"].value == []


def test_the_check_fails_on_each_kind_of_difference(tmp_path: Path) -> None:
    tables = base_tables()
    load(EmbeddedGraphStore(tmp_path), tables, communities=False)
    # the store holds the old extraction's MENTIONS, an old type label, old chunk order
    for scenario, fields in {
        "config_change": {"mentions", "entities", "relations", "relation_types"},
        "changed_entity_types": {"type_labels"},
        "reordered_chunks": {"next_chunk", "has_chunk", "chunks"},
    }.items():
        result = _check(tmp_path, SCENARIOS[scenario](tables))
        assert not result.passed and fields <= set(result.metadata["differ"].value), scenario


def test_the_check_fails_on_a_relation_to_a_missing_entity(tmp_path: Path) -> None:
    tables = base_tables()
    load(EmbeddedGraphStore(tmp_path), tables, communities=False)
    dangling = (
        tables["relations"]
        .head(1)
        .with_columns(pl.lit("ffffffffffffffff").alias("target_id"), pl.lit("eeeeeeeeeeeeeeee").alias("relation_id"))
    )
    result = _check(tmp_path, {**tables, "relations": pl.concat([tables["relations"], dangling])})
    assert not result.passed and result.metadata["dangling_links"].value == 1

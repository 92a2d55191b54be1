"""Query text built by the Neo4j store's Cypher helpers."""

from __future__ import annotations

import pytest

from orc_ai.errors import InvalidGraphNameError
from orc_ai.graph import cypher
from orc_ai.graph.schema import NODE_PROPERTIES, RELATION_PROPERTIES, type_label


def test_columnar_reads_rows_from_one_list_per_column() -> None:
    query = cypher.columnar("\nUNWIND $rows AS row\nMERGE (n:N {id: row.id}) SET n.v = row.v", ["id", "v"])
    assert query == (
        "UNWIND range(0, size($rows.id) - 1) AS i WITH {id: $rows.id[i], v: $rows.v[i]} AS row\n"
        "MERGE (n:N {id: row.id}) SET n.v = row.v"
    )


@pytest.mark.parametrize("columns", [["id", "x}) DETACH DELETE n //"], ["id", "a b"], []])
def test_columnar_rejects_column_names_that_are_not_identifiers(columns: list[str]) -> None:
    with pytest.raises(ValueError, match="identifiers"):
        cypher.columnar("UNWIND $rows AS row MERGE (n:N {id: row.id})", columns)


def test_columnar_needs_a_query_over_rows() -> None:
    with pytest.raises(ValueError, match="starts with"):
        cypher.columnar("MATCH (n) UNWIND $rows AS row SET n.x = row.x", ["x"])


@pytest.mark.parametrize(
    ("query", "var", "label"),
    [
        (cypher.UPSERT_DOCUMENTS, "d", "Document"),
        (cypher.UPSERT_CHUNKS, "c", "Chunk"),
        (cypher.upsert_entities("System"), "e", "Entity"),
        (cypher.CREATE_COMMUNITIES, "c", "Community"),
    ],
)
def test_writes_set_every_property_the_schema_names(query: str, var: str, label: str) -> None:
    key = {"Document": "doc_id", "Chunk": "chunk_id", "Entity": "entity_id", "Community": "community_id"}[label]
    assert all(f"{var}.{name} = row.{name}" in query for name in NODE_PROPERTIES[label] if name != key)
    relation = cypher.upsert_relations("DEPENDS_ON")
    assert all(f"r.{name} = row.{name}" in relation for name in RELATION_PROPERTIES if name != "relation_id")


@pytest.mark.parametrize("core", ["Document", "Chunk", "Entity", "Community"])
def test_a_core_label_type_gives_no_type_label(core: str) -> None:
    assert type_label(core) is None and type_label("System") == "System"
    query = cypher.upsert_entities(type_label(core))
    assert f"SET e:{core}" not in query and "SET e:" not in query.replace("SET e.", "")


def test_a_hostile_type_label_is_refused() -> None:
    with pytest.raises(InvalidGraphNameError):
        cypher.upsert_entities("X`) DETACH DELETE n //")

"""Query text built by the Neo4j store's Cypher helpers."""

from __future__ import annotations

import pytest

from orc_ai.graph import cypher


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

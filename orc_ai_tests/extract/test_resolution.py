from orc_ai.extract.models import ChunkExtraction, ExtractedEntity, ExtractedRelation
from orc_ai.extract.resolution import resolve_entities
from orc_ai.extract.vocabulary import CO_OCCURS


def _chunk(entities, relations=()) -> ChunkExtraction:
    return ChunkExtraction(
        entities=[ExtractedEntity(name=n, type=t) for n, t in entities],
        relations=[ExtractedRelation(source=s, target=t, type=ty) for s, t, ty in relations],
    )


RESULTS = {
    "c1": _chunk(
        [("Priya Raman", "Person"), ("Data Platform team", "Team"), ("orders_daily_etl", "DAG")],
        [("Priya Raman", "Data Platform team", CO_OCCURS), ("orders_daily_etl", "Data Platform team", "OWNED_BY")],
    ),
    "c2": _chunk(
        [("priya raman", "Concept"), ("Data Platform Team", "Team"), ("orders_hourly_etl", "Identifier")],
        [("Data Platform Team", "priya raman", CO_OCCURS)],
    ),
    "c3": _chunk(
        [
            ("Priya Ramann", "Person"),
            ("Henry II", "Concept"),
            ("Henry III", "Concept"),
            ("orders_daily_etl", "Identifier"),
        ]
    ),
}
CHUNK_DOCS = {"c1": "d1", "c2": "d1", "c3": "d2"}


def test_names_merge_by_normalised_key_then_by_fuzzy_match_with_aliases() -> None:
    entities, _ = resolve_entities(RESULTS, CHUNK_DOCS)
    by_name = {row["name"]: row for row in entities.iter_rows(named=True)}
    priya = by_name["Priya Raman"]
    assert priya["type"] == "Person"  # specific type wins over Concept
    assert set(priya["aliases"]) == {"priya raman", "Priya Ramann"}
    assert priya["chunk_ids"] == ["c1", "c2", "c3"] and priya["doc_count"] == 2 and priya["mention_count"] == 3
    assert by_name["orders_daily_etl"]["type"] == "DAG"


def test_identifiers_and_numbered_names_are_never_fuzzy_merged() -> None:
    entities, _ = resolve_entities(RESULTS, CHUNK_DOCS)
    names = set(entities["name"].to_list())
    assert {"orders_daily_etl", "orders_hourly_etl", "Henry II", "Henry III"} <= names


def test_relations_aggregate_on_canonical_ids_with_evidence() -> None:
    entities, relations = resolve_entities(RESULTS, CHUNK_DOCS)
    ids = {name.casefold(): id_ for name, id_ in entities.select("name", "entity_id").iter_rows()}
    co = relations.filter(relations["type"] == CO_OCCURS).to_dicts()
    assert len(co) == 1
    assert {co[0]["source_id"], co[0]["target_id"]} == {ids["priya raman"], ids["data platform team"]}
    assert co[0]["cooccurrences"] == 2 and co[0]["evidence_chunk_ids"] == ["c1", "c2"]
    owned = relations.filter(relations["type"] == "OWNED_BY").to_dicts()
    assert (owned[0]["source_id"], owned[0]["target_id"]) == (ids["orders_daily_etl"], ids["data platform team"])


def test_output_does_not_depend_on_input_order() -> None:
    forward = resolve_entities(RESULTS, CHUNK_DOCS)
    backward = resolve_entities(dict(reversed(list(RESULTS.items()))), CHUNK_DOCS)
    assert forward[0].equals(backward[0]) and forward[1].equals(backward[1])

import json

from orc_ai.extract.validation import extraction_json_schema, validate_extraction

TEXT = "The DAG orders_daily_etl is owned by the Data Platform team and loads Snowflake."
TYPES = ("DAG", "Team", "System")
RELS = ("OWNED_BY", "USES")


def _answer(entities, relations) -> str:
    return json.dumps({"entities": entities, "relations": relations})


def test_valid_answer_is_kept_with_clean_names() -> None:
    raw = _answer(
        [
            {"name": "orders_daily_etl", "type": "DAG", "description": "daily orders"},
            {"name": " Data Platform team ", "type": "Team", "description": ""},
        ],
        [{"source": "orders_daily_etl", "target": "data platform team", "type": "OWNED_BY", "strength": 40}],
    )
    result = validate_extraction(raw, TEXT, TYPES, RELS)
    assert not result.failed and result.rejected == {}
    assert [e.name for e in result.entities] == ["orders_daily_etl", "Data Platform team"]
    (rel,) = result.relations
    assert (rel.source, rel.target, rel.strength) == ("orders_daily_etl", "Data Platform team", 10.0)


def test_malformed_json_and_wrong_shapes_fail_the_whole_answer() -> None:
    assert validate_extraction('{"entities": [', TEXT, TYPES, RELS).rejected == {"malformed_json": 1}
    assert validate_extraction("[1, 2]", TEXT, TYPES, RELS).rejected == {"wrong_shape": 1}
    assert validate_extraction('{"entities": "x"}', TEXT, TYPES, RELS).failed


def test_bad_items_are_rejected_and_counted_by_reason() -> None:
    raw = _answer(
        [
            {"name": "orders_daily_etl", "type": "DAG"},
            {"name": "Snowflake", "type": "Database"},  # unknown type
            {"name": "Kafka", "type": "System"},  # not in the text
            {"name": "", "type": "Team"},  # empty
            {"type": "Team"},
        ],  # malformed
        [
            {"source": "orders_daily_etl", "target": "Kafka", "type": "USES"},  # dangling
            {"source": "orders_daily_etl", "target": "orders_daily_etl", "type": "USES"},  # self
            {"source": "orders_daily_etl", "target": "Snowflake", "type": "BREAKS"},  # unknown type
            {"source": "orders_daily_etl"},
        ],  # malformed
    )
    result = validate_extraction(raw, TEXT, TYPES, RELS)
    assert [e.name for e in result.entities] == ["orders_daily_etl"] and result.relations == []
    assert result.rejected == {
        "unknown_entity_type": 1,
        "entity_not_in_text": 1,
        "empty_name": 1,
        "malformed_entity": 1,
        "dangling_relation": 1,
        "self_relation": 1,
        "unknown_relation_type": 1,
        "malformed_relation": 1,
    }


def test_schema_enumerates_the_allowed_types() -> None:
    schema = extraction_json_schema(TYPES, RELS)
    assert schema["properties"]["entities"]["items"]["properties"]["type"]["enum"] == ["DAG", "System", "Team"]
    assert schema["properties"]["relations"]["items"]["properties"]["type"]["enum"] == ["OWNED_BY", "USES"]


def test_schema_is_derived_from_the_answer_models() -> None:
    from orc_ai.extract.models import ExtractedEntity, ExtractedRelation

    schema = extraction_json_schema(TYPES, RELS)
    entity, relation = (schema["properties"][k]["items"] for k in ("entities", "relations"))
    assert set(entity["properties"]) == set(ExtractedEntity.model_fields) == set(entity["required"])
    assert set(relation["properties"]) == set(ExtractedRelation.model_fields) == set(relation["required"])
    assert "$defs" not in json.dumps(schema) and "$ref" not in json.dumps(schema)  # self-contained for any decoder
    assert entity["properties"]["name"]["maxLength"] == 80 and schema["properties"]["entities"]["maxItems"] == 25

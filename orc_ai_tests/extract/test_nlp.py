from orc_ai.extract.nlp import NlpExtractor
from orc_ai.extract.vocabulary import CO_OCCURS

TEXT = (
    "The DAG `orders_daily_etl` is owned by the Data Platform team. Task `load_to_snowflake` failed with "
    "ProgrammingError after Snowflake suspended the warehouse.\nOn-call: Priya Raman. Escalate to Marcus Chen.\n"
    "Kafka topic shipment.events.v2 lagged while the table analytics.orders was stale. When Great Expectations ran, "
    "Northwind Logistics paged PagerDuty."
)


def _types(text: str) -> dict[str, str]:
    return {e.name: e.type for e in NlpExtractor().extract(text).entities}


def test_typed_patterns_find_dags_tasks_teams_people_systems_tables_topics_and_errors() -> None:
    types = _types(TEXT)
    assert types["orders_daily_etl"] == "DAG"
    assert types["load_to_snowflake"] == "Task"
    assert types["Data Platform team"] == "Team"
    assert types["Priya Raman"] == "Person" and types["Marcus Chen"] == "Person"
    assert types["Snowflake"] == "System" and types["Great Expectations"] == "System"
    assert types["shipment.events.v2"] == "Topic"
    assert types["analytics.orders"] == "Table"
    assert types["ProgrammingError"] == "Error"
    assert types["Northwind Logistics"] == "Concept"


def test_sentence_initial_common_words_and_section_headings_are_not_entities() -> None:
    types = _types("When the job failed we retried.\nSymptoms\nThe Kafka broker was down.")
    assert set(types) == {"Kafka"}


def test_every_pair_co_occurs_and_tasks_are_part_of_their_dag() -> None:
    result = NlpExtractor().extract(TEXT)
    n = len(result.entities)
    co = [r for r in result.relations if r.type == CO_OCCURS]
    assert len(co) == n * (n - 1) // 2
    typed = {(r.source, r.target, r.type) for r in result.relations if r.type != CO_OCCURS}
    assert ("load_to_snowflake", "orders_daily_etl", "PART_OF") not in typed  # different sentences
    assert ("orders_daily_etl", "Data Platform team", "OWNED_BY") in typed
    same_sentence = NlpExtractor().extract("Task `extract_orders` of DAG `orders_daily_etl` timed out.")
    assert ("extract_orders", "orders_daily_etl", "PART_OF") in {
        (r.source, r.target, r.type) for r in same_sentence.relations
    }


def test_entity_cap_and_extractor_id() -> None:
    extractor = NlpExtractor(max_entities_per_chunk=3)
    assert len(extractor.extract(TEXT).entities) == 3
    assert extractor.extractor_id != NlpExtractor().extractor_id

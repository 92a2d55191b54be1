import polars as pl

from orc_ai.graph.summaries import extractive_report, summarise_communities


def test_extractive_report_picks_sentences_naming_the_central_entities() -> None:
    texts = ["Kafka lag delayed shipment_events_ingest. The cafeteria opened. Kafka and Spark were restarted by SRE."]
    report = extractive_report(["Kafka", "shipment_events_ingest", "Spark", "SRE"], texts, max_sentences=2)
    assert report.title == "Kafka, shipment_events_ingest, Spark and 1 more"
    assert report.summary.startswith("Kafka and Spark were restarted by SRE. Kafka lag delayed shipment_events_ingest.")
    assert "cafeteria" not in report.summary


def test_summaries_rank_members_by_weighted_degree() -> None:
    entities = pl.DataFrame(
        {
            "entity_id": ["a", "b", "c"],
            "name": ["Kafka", "Spark", "Redis"],
            "mention_count": [1, 5, 9],
            "chunk_ids": [["k1"], ["k1"], ["k2"]],
        }
    )
    relations = pl.DataFrame(
        {"source_id": ["a", "a"], "target_id": ["b", "c"], "weight": [2.0, 1.0], "evidence_chunk_ids": [["k1"], ["k2"]]}
    )
    chunks = pl.DataFrame({"chunk_id": ["k1", "k2"], "text": ["Kafka feeds Spark jobs.", "Kafka caches in Redis."]})
    communities = pl.DataFrame({"community_id": ["x"], "level": [0], "entity_ids": [["a", "b", "c"]]})
    table, rejected = summarise_communities(communities, entities, relations, chunks)
    assert rejected == 0
    assert table["title"][0] == "Kafka, Spark, Redis" and table["summary_source"][0] == "extractive"

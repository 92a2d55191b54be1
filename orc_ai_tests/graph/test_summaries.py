import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from openai import OpenAI

from orc_ai.cache import ContentCache
from orc_ai.extract.prompt import parse_prompt
from orc_ai.graph.summaries import LlmSummariser, extractive_report, summarise_communities
from orc_ai_tests.fake_openai import FakeOpenAI, Step

REPORT = json.dumps({"title": "Kafka and Spark", "summary": "Kafka feeds Spark jobs and caches in Redis."})


def test_extractive_report_picks_sentences_naming_the_central_entities() -> None:
    texts = ["Kafka lag delayed shipment_events_ingest. The cafeteria opened. Kafka and Spark were restarted by SRE."]
    report = extractive_report(["Kafka", "shipment_events_ingest", "Spark", "SRE"], texts, max_sentences=2)
    assert report.title == "Kafka, shipment_events_ingest, Spark and 1 more"
    assert report.summary.startswith("Kafka and Spark were restarted by SRE. Kafka lag delayed shipment_events_ingest.")
    assert "cafeteria" not in report.summary


def _graph() -> tuple[pl.DataFrame, ...]:
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
    communities = pl.DataFrame(
        {"community_id": ["x", "y"], "level": [0, 1], "entity_ids": [["a", "b", "c"], ["a", "b"]]}
    )
    return communities, entities, relations, chunks


def test_summaries_rank_members_by_weighted_degree() -> None:
    table, stats = summarise_communities(*_graph())
    assert stats.rejected == 0 and stats.requested == 0
    assert table["title"][0] == "Kafka, Spark, Redis" and table["summary_source"][0] == "extractive"


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI(default=Step(content=REPORT))
    yield server
    server.close()


def _summariser(fake: FakeOpenAI, cache: ContentCache, model: str = "tiny") -> LlmSummariser:
    client = OpenAI(base_url=fake.base_url, api_key="unused", max_retries=0, timeout=5)
    return LlmSummariser(client, model, cache)


def test_llm_summaries_are_cached_by_content_model_and_prompt_text(fake, tmp_path: Path) -> None:
    graph = _graph()
    with ContentCache(tmp_path / "s.sqlite") as cache:
        table, stats = summarise_communities(*graph, llm=_summariser(fake, cache))
        assert table["summary_source"].to_list() == ["llm", "llm"] and (stats.requested, stats.from_cache) == (2, 0)
        assert (stats.usage.prompt_tokens, stats.usage.completion_tokens) == (22, 14)
        again, stats = summarise_communities(*graph, llm=_summariser(fake, cache))
        assert len(fake.requests) == 2 and (stats.requested, stats.from_cache) == (0, 2)
        assert again.equals(table)

        summariser = _summariser(fake, cache)
        text = "### user\nSummarise {entities} from\n{evidence}"
        edited = replace(summariser, prompt=parse_prompt(text, summariser.prompt.version, ("entities", "evidence")))
        summarise_communities(*graph, llm=edited)
        assert len(fake.requests) == 4  # same version name, new text: asked again
        summarise_communities(*graph, llm=_summariser(fake, cache, model="other"))
        assert len(fake.requests) == 6
        communities, *rest = graph
        changed = communities.with_columns(pl.Series("entity_ids", [["a", "b", "c"], ["a", "c"]]))
        _, stats = summarise_communities(changed, *rest, llm=_summariser(fake, cache))
        assert (stats.requested, stats.from_cache) == (1, 1)  # only the community whose content changed


def test_failed_or_invalid_llm_summaries_fall_back_to_extractive_and_are_not_cached(fake, tmp_path: Path) -> None:
    fake.script = [Step(status=503), Step(content='{"title": "x"}')]
    with ContentCache(tmp_path / "s.sqlite") as cache:
        table, stats = summarise_communities(*_graph(), llm=_summariser(fake, cache))
        assert table["summary_source"].to_list() == ["extractive", "extractive"] and stats.rejected == 2
        assert len(cache) == 0

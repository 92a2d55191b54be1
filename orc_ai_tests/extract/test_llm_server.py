"""The LLM extractor against a real llama.cpp OpenAI-compatible server (gemma3 270M, tiny and unreliable)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from openai import OpenAI

from orc_ai.cache import ContentCache
from orc_ai.errors import ExtractionError
from orc_ai.extract.llm import LlmExtractor
from orc_ai.extract.names import name_key
from orc_ai.extract.pipeline import extract_chunks
from orc_ai.extract.validation import validate_extraction

pytestmark = pytest.mark.slow
TEXT = (
    "The DAG orders_daily_etl is owned by the Data Platform team. Its task load_to_snowflake writes to "
    "Snowflake. On-call engineer Priya Raman restarted it."
)


@pytest.fixture(scope="module")
def client(llm_server: str) -> OpenAI:
    return OpenAI(base_url=llm_server, api_key="unused", timeout=1800)  # a loaded CI box is slow


def test_schema_constrained_answer_parses_and_every_item_is_kept_or_counted(client) -> None:
    extractor = LlmExtractor(
        client,
        "gemma3-270m",
        entity_types=("DAG", "Team", "System", "Person", "Task"),
        relation_types=("OWNED_BY", "PART_OF", "USES"),
    )
    raw = extractor.request(TEXT)
    payload = json.loads(raw)  # the grammar guarantees well-formed JSON of the schema's shape
    assert set(payload) == {"entities", "relations"}
    assert all(e["type"] in extractor.entity_types for e in payload["entities"])
    assert all(r["type"] in extractor.relation_types for r in payload["relations"])

    result = validate_extraction(raw, TEXT, extractor.entity_types, extractor.relation_types)
    assert not result.failed
    kept_names = {name_key(e.name) for e in result.entities}
    assert all(e.name.casefold() in TEXT.casefold() for e in result.entities)
    assert all({name_key(r.source), name_key(r.target)} <= kept_names for r in result.relations)
    unique_entities = {(name_key(e["name"]), e["type"]) for e in payload["entities"]}
    entity_rejections = sum(v for k, v in result.rejected.items() if "entity" in k or k == "empty_name")
    assert len(result.entities) + entity_rejections >= min(1, len(unique_entities))
    assert len(result.entities) + entity_rejections <= len(payload["entities"])
    relation_rejections = sum(v for k, v in result.rejected.items() if "relation" in k)
    assert len(result.relations) + relation_rejections <= len(payload["relations"])


def test_a_truncated_answer_is_rejected_as_malformed(client) -> None:
    extractor = LlmExtractor(client, "gemma3-270m", max_tokens=6)
    result = extractor.extract(TEXT)
    assert result.failed and result.rejected == {"malformed_json": 1}


def test_free_text_from_the_model_is_rejected(client) -> None:
    # gemma3-270m is a base model: an unconstrained completion is prose, not the JSON we asked for
    response = client.completions.create(model="gemma3-270m", prompt="Apache Airflow is", max_tokens=30, temperature=0)
    raw = response.choices[0].text
    assert raw.strip()
    assert validate_extraction(raw, TEXT, ("DAG",), ("USES",)).failed


def test_unusable_answers_past_the_threshold_fail_the_run_and_good_ones_are_cached(client, tmp_path: Path) -> None:
    chunks = pl.DataFrame(
        {
            "chunk_id": ["a", "b"],
            "text": [TEXT, "Kafka lag delayed shipment_events_ingest."],
            "content_hash": ["h1", "h2"],
        }
    )
    with ContentCache(tmp_path / "llm.sqlite") as cache:
        with pytest.raises(ExtractionError, match="2 of 2 chunks"):
            extract_chunks(chunks, LlmExtractor(client, "gemma3-270m", max_tokens=6), cache, max_failed_ratio=0.5)
        good = LlmExtractor(client, "gemma3-270m")
        first = extract_chunks(chunks.head(1), good, cache)
        again = extract_chunks(chunks.head(1), good, cache)
    assert (first.cache_misses, again.cache_hits, again.cache_misses) == (1, 1, 0)
    assert again.results["a"] == first.results["a"]

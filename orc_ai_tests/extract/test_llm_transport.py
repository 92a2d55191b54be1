"""LlmExtractor through the real openai client against a scripted local endpoint: retries, failures, usage."""

from __future__ import annotations

import json
from collections.abc import Iterator

import polars as pl
import pytest
from openai import OpenAI

from orc_ai.cache import ContentCache
from orc_ai.errors import ConfigError, ExtractionError
from orc_ai.extract.llm import LlmExtractor
from orc_ai.extract.pipeline import extract_chunks
from orc_ai.extract.prompt import load_prompt, parse_prompt
from orc_ai_tests.fake_openai import FakeOpenAI, Step

TEXT = "Kafka lag delayed shipment_events_ingest."
ANSWER = json.dumps({"entities": [{"name": "Kafka", "type": "System", "description": "A broker."}], "relations": []})


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI(default=Step(content=ANSWER))
    yield server
    server.close()


def _extractor(fake: FakeOpenAI, max_retries: int = 2, timeout: float = 5.0, **kwargs) -> LlmExtractor:
    client = OpenAI(base_url=fake.base_url, api_key="unused", max_retries=max_retries, timeout=timeout)
    return LlmExtractor(client, "tiny", **kwargs)


def test_a_server_error_is_retried_and_the_answer_then_used(fake) -> None:
    fake.script = [Step(status=503), Step(status=500)]
    result = _extractor(fake, max_retries=2).extract(TEXT)
    assert len(fake.requests) == 3
    assert not result.failed and [e.name for e in result.entities] == ["Kafka"]
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (11, 7)


def test_transport_errors_left_after_retries_are_counted_failures_not_exceptions(fake) -> None:
    fake.default = Step(status=503)
    assert _extractor(fake, max_retries=1).extract(TEXT).rejected == {"server_error": 1}
    assert len(fake.requests) == 2
    fake.default = Step(content=ANSWER, stall_s=3)
    assert _extractor(fake, max_retries=0, timeout=0.5).extract(TEXT).rejected == {"timeout": 1}
    dead = OpenAI(base_url="http://127.0.0.1:9/v1", api_key="unused", max_retries=0)
    assert LlmExtractor(dead, "tiny").extract(TEXT).rejected == {"connection_error": 1}


def test_a_refused_client_fails_fast_with_a_config_error(fake) -> None:
    fake.default = Step(status=401)
    with pytest.raises(ConfigError, match="refused the request \\(401\\)"):
        _extractor(fake).extract(TEXT)


def test_a_dead_endpoint_fails_the_run_clearly_and_keeps_the_answers_already_cached(fake, tmp_path) -> None:
    chunks = pl.DataFrame(
        {
            "chunk_id": ["a", "b", "c", "d"],
            "text": [TEXT, "Kafka a", "Kafka b", "Kafka c"],
            "content_hash": list("1234"),
        }
    )
    extractor = _extractor(fake, max_retries=1)
    fake.script = [Step(content=ANSWER)]
    fake.default = Step(status=502)
    with ContentCache(tmp_path / "c.sqlite") as cache:
        with pytest.raises(ExtractionError, match=r"got an unusable extraction .*'server_error': 2"):
            extract_chunks(chunks, extractor, cache, max_failed_ratio=0.25)
        assert len(cache) == 1
        fake.default = Step(content=ANSWER)
        fake.requests.clear()
        run = extract_chunks(chunks, extractor, cache, max_failed_ratio=0.25)
    assert len(fake.requests) == 3 and run.cache_hits == 1 and run.failed_chunks == 0


def test_the_cache_key_follows_the_prompt_text_not_only_its_version_name(fake) -> None:
    shipped = load_prompt("entity_extraction_v1")
    text = "### system\nExtract {entity_types} and {relation_types}.\n### user\n{text}"
    edited = parse_prompt(text.replace("Extract", "Find"), shipped.version)
    ids = {_extractor(fake, prompt=p).extractor_id for p in (shipped, parse_prompt(text, shipped.version), edited)}
    assert len(ids) == 3
    assert all(i.startswith("llm:tiny:entity_extraction_v1:") for i in ids)
    other_types = _extractor(fake, entity_types=("System",)).extractor_id
    assert other_types != _extractor(fake).extractor_id


def test_the_request_carries_the_schema_and_the_filled_prompt(fake) -> None:
    _extractor(fake, entity_types=("System", "DAG")).extract(TEXT)
    (body,) = fake.requests
    assert body["messages"][-1] == {"role": "user", "content": TEXT}
    schema = body["response_format"]["schema"]
    assert schema["properties"]["entities"]["items"]["properties"]["type"]["enum"] == ["DAG", "System"]

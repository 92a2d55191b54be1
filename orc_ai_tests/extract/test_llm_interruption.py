"""A llama.cpp server that dies mid-extraction: a clear failure, nothing paid for is lost, the re-run resumes."""

from __future__ import annotations

import threading
from pathlib import Path

import polars as pl
import pytest
from openai import OpenAI

from orc_ai.cache import ContentCache
from orc_ai.errors import ExtractionError
from orc_ai.extract.llm import LlmExtractor
from orc_ai.extract.pipeline import extract_chunks
from orc_ai_tests.conftest import require_or_skip
from orc_ai_tests.llm_server import LLM_VENV_PYTHON, LlmServer

pytestmark = pytest.mark.slow
TEXTS = [
    "Kafka lag delayed shipment_events_ingest.",
    "The SRE team restarted Snowflake.",
    "Redis failed during the nightly billing_export run.",
]
CHUNKS = pl.DataFrame({"chunk_id": ["a", "b", "c"], "text": TEXTS, "content_hash": ["h1", "h2", "h3"]})


def _counting_client(base_url: str) -> tuple[OpenAI, list[str]]:
    """The real client, its chat.completions.create wrapped to record each request's chunk text."""
    client = OpenAI(base_url=base_url, api_key="unused", max_retries=1, timeout=1800)  # a loaded CI box is slow
    create, sent, lock = client.chat.completions.create, [], threading.Lock()

    def counted(**request):
        with lock:
            sent.append(request["messages"][-1]["content"])
        return create(**request)

    client.chat.completions.create = counted
    return client, sent


class KillingCache(ContentCache):
    """Kills the server right after the first answer was committed (while the next request is in flight)."""

    def __init__(self, path: Path, server: LlmServer):
        super().__init__(path)
        self.server = server

    def put(self, key: str, value: bytes) -> None:
        super().put(key, value)
        self.server.kill()


def test_a_server_killed_mid_run_fails_clearly_and_the_rerun_requests_only_the_missing_chunks(tmp_path) -> None:
    if not LLM_VENV_PYTHON.exists():
        require_or_skip("llama.cpp server venv missing: run scripts/setup-llm")
    first_server = LlmServer(tmp_path / "first.log").start()
    try:
        client, sent = _counting_client(first_server.base_url)
        with KillingCache(tmp_path / "x.sqlite", first_server) as cache:
            with pytest.raises(ExtractionError, match=r"got an unusable extraction .*'connection_error'") as failure:
                extract_chunks(CHUNKS, LlmExtractor(client, "gemma3-270m"), cache, concurrency=2)
            cached = len(cache)
    finally:
        first_server.kill()
    assert first_server.proc.poll() is not None
    assert cached >= 1 and f"{cached} of 3 chunks done" in str(failure.value)

    second_server = LlmServer(tmp_path / "second.log").start()
    try:
        client, sent = _counting_client(second_server.base_url)
        with ContentCache(tmp_path / "x.sqlite") as cache:
            run = extract_chunks(CHUNKS, LlmExtractor(client, "gemma3-270m"), cache, concurrency=2)
    finally:
        second_server.stop()
    assert len(sent) == 3 - cached == run.cache_misses
    assert run.cache_hits == cached and set(run.results) == {"a", "b", "c"}
    assert set(sent) <= set(TEXTS) and len(set(sent)) == len(sent)

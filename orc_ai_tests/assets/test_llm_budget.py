"""The entities asset on the LLM path through the real resource and client, against a scripted local endpoint."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pytest

from orc_ai_tests.assets.conftest import metadata, table
from orc_ai_tests.fake_openai import FakeOpenAI, Step

STAGES = ["raw_docs", "quarantined_docs", "chunks", "entities", "relations"]
ANSWER = json.dumps({"entities": [{"name": "Kafka", "type": "System", "description": "A broker."}], "relations": []})


def _failure(result: dg.ExecuteInProcessResult) -> str:
    (event,) = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
    return event.step_failure_data.error.to_string()  # with the cause chain


@pytest.fixture
def fake():
    server = FakeOpenAI(default=Step(content=ANSWER))
    yield server
    server.close()


def test_a_spent_token_budget_fails_the_asset_and_the_next_run_continues_from_the_cache(
    chain, fake, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(6):
        (docs / f"d{i}.md").write_text(f"Kafka lag number {i} delayed ingest job_{i}.")
    home = tmp_path / "home"
    env = {"ORC_AI_LLM_BASE_URL": fake.base_url, "ORC_AI_LLM_MODEL": "tiny"}
    # the fake reports 18 tokens per answer: a budget of 36 is spent after two answers
    capped = {"entities": {"extractor": "llm", "max_tokens_per_run": 36, "llm_concurrency": 1}}
    first = chain.run(home, docs, capped, selection=STAGES, env=env)
    assert not first.success
    assert "token budget of 36 spent after 2 of 6 chunks; re-run to continue from the cache" in _failure(first)
    assert len(fake.requests) == 2

    second = chain.run(home, docs, {"entities": {"extractor": "llm"}}, selection=STAGES, env=env)
    assert second.success
    meta = metadata(second, "entities")
    assert len(fake.requests) == 2 + 4  # only the 4 chunks the first run did not answer
    assert (meta["chunks_extracted"], meta["chunks_from_cache"], meta["chunks_deduplicated"]) == (4, 2, 0)
    assert (meta["llm_prompt_tokens"], meta["llm_completion_tokens"]) == (4 * 11, 4 * 7)
    assert table(home, "entities")["name"].to_list() == ["Kafka"]

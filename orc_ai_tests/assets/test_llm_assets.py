"""Assets configured for the LLM, through dagster-openai's resource, against the real llama.cpp server."""

from __future__ import annotations

from pathlib import Path

import pytest

from orc_ai_tests.assets.conftest import metadata, table

pytestmark = pytest.mark.slow
LLM_STAGES = ["raw_docs", "quarantined_docs", "chunks", "entities", "relations"]
DOCS = {
    "orders.md": "The DAG orders_daily_etl is owned by the Data Platform team. Its task load_to_snowflake writes "
    "to Snowflake.",
    "kafka.md": "Kafka consumer lag on shipment.events.v2 delayed shipment_events_ingest. The SRE team scaled "
    "the consumers on Kubernetes and Priya Raman confirmed Snowflake caught up.",
}


@pytest.fixture
def tiny_docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    for name, text in DOCS.items():
        (root / name).write_text(text)
    return root


def test_llm_extractor_runs_through_the_resource_and_caches_by_model_and_prompt(
    chain, tiny_docs, tmp_path, llm_server
) -> None:
    env = {"ORC_AI_LLM_BASE_URL": llm_server, "ORC_AI_LLM_MODEL": "gemma3-270m"}
    # one request at a time: the local server queues requests, and a queued one waits within the timeout too
    config = {"entities": {"extractor": "llm", "llm_concurrency": 1}}
    home = tmp_path / "home"
    first = chain.run(home, tiny_docs, config, selection=LLM_STAGES, env=env)
    meta = metadata(first, "entities")
    n_chunks = table(home, "chunks").height
    assert meta["extractor"].startswith("llm:gemma3-270m:entity_extraction_v1")
    assert (meta["chunks_extracted"], meta["chunks_from_cache"]) == (n_chunks, 0)
    assert meta["failed_chunks"] == 0  # the JSON schema grammar keeps answers parseable
    assert meta["llm_prompt_tokens"] > 0 and meta["llm_completion_tokens"] > 0  # summed from the responses
    kept = table(home, "entities")
    assert all(name.casefold() in " ".join(DOCS.values()).casefold() for name in kept["name"])

    second = chain.run(home, tiny_docs, config, selection=LLM_STAGES, env=env)
    again = metadata(second, "entities")
    assert (again["chunks_extracted"], again["chunks_from_cache"], again["llm_prompt_tokens"]) == (0, n_chunks, 0)


def test_community_summaries_use_the_llm_when_configured_and_are_not_paid_for_twice(
    chain, tiny_docs, tmp_path, llm_server
) -> None:
    env = {"ORC_AI_LLM_BASE_URL": llm_server, "ORC_AI_LLM_MODEL": "gemma3-270m"}
    home = tmp_path / "home"
    result = chain.run(home, tiny_docs, env=env)
    assert result.success
    communities = table(home, "communities")
    sources = communities["summary_source"].to_list()
    assert set(sources) <= {"llm", "extractive"}
    meta = metadata(result, "communities")
    assert sources.count("extractive") == meta["llm_summaries_rejected"]
    assert (meta["llm_summaries_requested"], meta["llm_summaries_from_cache"]) == (len(sources), 0)
    assert communities["summary"].str.len_chars().min() >= 20

    again = chain.run(home, tiny_docs, env=env)
    meta = metadata(again, "communities")
    # valid reports come from the cache; only the rejected ones are asked again
    assert (meta["llm_summaries_from_cache"], meta["llm_summaries_requested"]) == (
        sources.count("llm"),
        sources.count("extractive"),
    )
    from_llm = communities.filter(summary_source="llm")
    assert table(home, "communities").join(from_llm.select("community_id"), on="community_id").sort(
        "community_id"
    ).equals(from_llm.sort("community_id"))

import threading
from pathlib import Path

import polars as pl
import pytest

from orc_ai.cache import ContentCache
from orc_ai.errors import ExtractionError, TokenBudgetError
from orc_ai.extract.models import ChunkExtraction, ExtractedEntity, TokenUsage
from orc_ai.extract.pipeline import extract_chunks


class CountingExtractor:
    """A real Extractor implementation that records what it was asked (unit-test double)."""

    def __init__(self, fail: bool = False, version: str = "v1", tokens: int = 0, crash_on: str | None = None):
        self.calls: list[str] = []
        self.fail = fail
        self.version = version
        self.tokens = tokens
        self.crash_on = crash_on
        self._lock = threading.Lock()
        self.active = self.max_active = 0

    @property
    def extractor_id(self) -> str:
        return f"counting:{self.version}"

    def extract(self, text: str) -> ChunkExtraction:
        with self._lock:
            self.calls.append(text)
        if text == self.crash_on:
            raise RuntimeError(f"extractor bug on {text!r}")
        usage = TokenUsage(prompt_tokens=self.tokens, completion_tokens=self.tokens // 2)
        if self.fail:
            return ChunkExtraction(failed=True, rejected={"malformed_json": 1}, usage=usage)
        return ChunkExtraction(entities=[ExtractedEntity(name=text.split()[0], type="Concept")], usage=usage)


class BarrierExtractor(CountingExtractor):
    """Every call waits until ``parties`` calls are in flight at once (fails when requests run one by one)."""

    def __init__(self, parties: int):
        super().__init__()
        self.barrier = threading.Barrier(parties, timeout=10)

    def extract(self, text: str) -> ChunkExtraction:
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            self.barrier.wait()
            return super().extract(text)
        finally:
            with self._lock:
                self.active -= 1


def _chunks(texts: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"chunk_id": [f"c{i}" for i in range(len(texts))], "text": texts, "content_hash": [f"h:{t}" for t in texts]}
    )


CHUNKS = pl.DataFrame(
    {
        "chunk_id": ["a", "b", "c"],
        "text": ["Kafka lag", "Snowflake down", "Kafka lag"],
        "content_hash": ["h1", "h2", "h1"],
    }
)


def test_only_cache_misses_reach_the_extractor_and_identical_texts_are_extracted_once(tmp_path: Path) -> None:
    with ContentCache(tmp_path / "x.sqlite") as cache:
        first = CountingExtractor()
        run = extract_chunks(CHUNKS, first, cache)
        assert first.calls == ["Kafka lag", "Snowflake down"]  # a and c share their content: one request
        assert (run.cache_misses, run.duplicate_chunks, run.cache_hits) == (2, 1, 0)
        assert run.results["c"] == run.results["a"]
        again = CountingExtractor()
        run = extract_chunks(CHUNKS, again, cache)
        assert again.calls == [] and run.cache_hits == 3
        other_version = CountingExtractor(version="v2")
        extract_chunks(CHUNKS, other_version, cache)
        assert len(other_version.calls) == 2  # the extractor id is part of the key
    assert list(run.results) == ["a", "b", "c"]
    assert run.results["b"].entities[0].name == "Snowflake"


def test_failed_answers_over_the_threshold_fail_the_run_and_are_not_cached(tmp_path: Path) -> None:
    with ContentCache(tmp_path / "x.sqlite") as cache:
        with pytest.raises(ExtractionError, match="3 of 3 chunks got an unusable extraction"):
            extract_chunks(CHUNKS, CountingExtractor(fail=True), cache, max_failed_ratio=0.5, concurrency=4)
        assert len(cache) == 0


def test_sending_stops_once_the_failure_gate_is_certain_to_fail(tmp_path: Path) -> None:
    chunks = _chunks([f"text {i}" for i in range(20)])
    extractor = CountingExtractor(fail=True)
    with ContentCache(tmp_path / "x.sqlite") as cache, pytest.raises(ExtractionError, match="5 of 20 chunks got"):
        extract_chunks(chunks, extractor, cache, max_failed_ratio=0.2)
    assert len(extractor.calls) == 5  # 5 > 20% of 20: the remaining 15 requests would be wasted


def test_answers_are_cached_as_they_arrive_so_a_crash_loses_none_of_them(tmp_path: Path) -> None:
    chunks = _chunks(["alpha one", "beta two", "gamma three", "delta four"])
    with ContentCache(tmp_path / "x.sqlite") as cache:
        with pytest.raises(RuntimeError, match="extractor bug"):
            extract_chunks(chunks, CountingExtractor(crash_on="gamma three"), cache)
        assert len(cache) == 2  # the two answers before the crash were committed
        rerun = CountingExtractor()
        run = extract_chunks(chunks, rerun, cache)
    assert rerun.calls == ["gamma three", "delta four"] and run.cache_hits == 2


def test_requests_run_concurrently_up_to_the_configured_limit(tmp_path: Path) -> None:
    chunks = _chunks([f"text {i}" for i in range(8)])
    extractor = BarrierExtractor(parties=4)
    with ContentCache(tmp_path / "x.sqlite") as cache:
        run = extract_chunks(chunks, extractor, cache, concurrency=4)
        assert len(cache) == 8
    assert extractor.max_active == 4 and run.cache_misses == 8
    assert [r.entities[0].name for r in run.results.values()] == ["text"] * 8


def test_token_usage_is_summed_and_a_spent_budget_stops_the_run_which_resumes_from_the_cache(tmp_path: Path) -> None:
    chunks = _chunks([f"text {i}" for i in range(5)])
    with ContentCache(tmp_path / "x.sqlite") as cache:
        capped = CountingExtractor(tokens=60)  # 90 tokens per call
        with pytest.raises(TokenBudgetError, match=r"token budget of 250 spent after 3 of 5 chunks; re-run"):
            extract_chunks(chunks, capped, cache, max_tokens_per_run=250)
        assert len(capped.calls) == 3 and len(cache) == 3
        rest = CountingExtractor(tokens=60)
        run = extract_chunks(chunks, rest, cache, max_tokens_per_run=250)
    assert rest.calls == ["text 3", "text 4"]
    assert (run.usage.prompt_tokens, run.usage.completion_tokens, run.cache_hits) == (120, 60, 3)

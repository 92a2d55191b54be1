from pathlib import Path

import polars as pl
import pytest

from orc_ai.cache import ContentCache
from orc_ai.errors import ExtractionError
from orc_ai.extract.models import ChunkExtraction, ExtractedEntity
from orc_ai.extract.pipeline import extract_chunks


class CountingExtractor:
    """A real Extractor implementation that records what it was asked (unit-test double)."""

    def __init__(self, fail: bool = False, version: str = "v1"):
        self.calls: list[str] = []
        self.fail = fail
        self.version = version

    @property
    def extractor_id(self) -> str:
        return f"counting:{self.version}"

    def extract(self, text: str) -> ChunkExtraction:
        self.calls.append(text)
        if self.fail:
            return ChunkExtraction(failed=True, rejected={"malformed_json": 1})
        return ChunkExtraction(entities=[ExtractedEntity(name=text.split()[0], type="Concept")])


CHUNKS = pl.DataFrame(
    {
        "chunk_id": ["a", "b", "c"],
        "text": ["Kafka lag", "Snowflake down", "Kafka lag"],
        "content_hash": ["h1", "h2", "h1"],
    }
)


def test_only_cache_misses_reach_the_extractor(tmp_path: Path) -> None:
    with ContentCache(tmp_path / "x.sqlite") as cache:
        first = CountingExtractor()
        run = extract_chunks(CHUNKS, first, cache)
        assert (run.cache_misses, run.cache_hits) == (3, 0)  # same content in a and c: both computed in one run
        again = CountingExtractor()
        run = extract_chunks(CHUNKS, again, cache)
        assert again.calls == [] and run.cache_hits == 3
        other_version = CountingExtractor(version="v2")
        extract_chunks(CHUNKS, other_version, cache)
        assert len(other_version.calls) == 3  # the extractor id is part of the key
    assert run.results["b"].entities[0].name == "Snowflake"


def test_failed_answers_over_the_threshold_fail_the_run_and_are_not_cached(tmp_path: Path) -> None:
    with ContentCache(tmp_path / "x.sqlite") as cache:
        with pytest.raises(ExtractionError, match="3 of 3 chunks"):
            extract_chunks(CHUNKS, CountingExtractor(fail=True), cache, max_failed_ratio=0.5)
        assert len(cache) == 0

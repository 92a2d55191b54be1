"""Run an extractor over chunks, reusing cached answers by chunk content + extractor id."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import polars as pl

from orc_ai.cache import ContentCache
from orc_ai.errors import ExtractionError
from orc_ai.extract.models import ChunkExtraction, Extractor
from orc_ai.hashing import stable_hash


@dataclass
class ExtractionRun:
    """Per-chunk results in chunk order, and what the run cost."""

    results: dict[str, ChunkExtraction]
    cache_hits: int = 0
    cache_misses: int = 0
    failed_chunks: int = 0
    rejected: dict[str, int] = field(default_factory=dict)


def extract_chunks(
    chunks: pl.DataFrame, extractor: Extractor, cache: ContentCache, max_failed_ratio: float = 0.2
) -> ExtractionRun:
    """Extract every chunk (``chunk_id``, ``text``, ``content_hash``); only cache misses call the extractor.

    Raises ``ExtractionError`` when more than ``max_failed_ratio`` of the chunks got an unusable answer.
    """
    keys = {
        row["chunk_id"]: stable_hash(extractor.extractor_id, row["content_hash"], length=32)
        for row in chunks.select("chunk_id", "content_hash").iter_rows(named=True)
    }
    cached = cache.get_many(keys.values())
    run = ExtractionRun(results={})
    fresh: dict[str, bytes] = {}
    rejected: Counter[str] = Counter()
    for chunk_id, text in chunks.select("chunk_id", "text").iter_rows():
        key = keys[chunk_id]
        if key in cached:
            result = ChunkExtraction.model_validate_json(cached[key])
            run.cache_hits += 1
        else:
            result = extractor.extract(text)
            run.cache_misses += 1
            if not result.failed:  # a failed answer is retried on the next run
                fresh[key] = result.model_dump_json().encode()
        run.failed_chunks += int(result.failed)
        rejected.update(result.rejected)
        run.results[chunk_id] = result
        if len(fresh) >= 200:
            cache.put_many(fresh)
            fresh = {}
    cache.put_many(fresh)
    run.rejected = dict(rejected)
    if chunks.height and run.failed_chunks / chunks.height > max_failed_ratio:
        raise ExtractionError(
            f"{run.failed_chunks} of {chunks.height} chunks got an unusable extraction "
            f"(limit {max_failed_ratio:.0%}); rejected by reason: {run.rejected}"
        )
    return run

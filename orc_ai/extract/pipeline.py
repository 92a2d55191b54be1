"""Run an extractor over chunks, reusing cached answers by chunk content + extractor id.

Each distinct chunk text is extracted once per run; requests run on a thread pool and every usable answer is
committed to the cache as it arrives (this thread is the only writer), so an interrupted run loses nothing it
already paid for and the next run continues from the cache.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import polars as pl

from orc_ai.cache import ContentCache
from orc_ai.errors import ExtractionError, TokenBudgetError
from orc_ai.extract.models import ChunkExtraction, Extractor, TokenUsage
from orc_ai.hashing import stable_hash
from orc_ai.progress import Progress, or_silent


@dataclass
class ExtractionRun:
    """Per-chunk results in chunk order, and what the run cost."""

    results: dict[str, ChunkExtraction]
    cache_hits: int = 0
    cache_misses: int = 0  # distinct chunk texts sent to the extractor
    duplicate_chunks: int = 0  # chunks that shared a request with an identical chunk
    failed_chunks: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    usage: TokenUsage = field(default_factory=TokenUsage)
    request_seconds: float = 0.0  # summed wall time of the extractor calls (LLM latency, for the metrics)


@dataclass
class _Progress:
    """What the request loop has collected so far (answers by cache key)."""

    answers: dict[str, ChunkExtraction] = field(default_factory=dict)
    failed_chunks: int = 0  # chunks whose (shared) answer was unusable
    usage: TokenUsage = field(default_factory=TokenUsage)
    request_seconds: float = 0.0
    error: BaseException | None = None


def _timed(extractor: Extractor, text: str) -> tuple[ChunkExtraction, float]:
    started = time.perf_counter()
    result = extractor.extract(text)
    return result, time.perf_counter() - started


def _request_all(
    texts: dict[str, str],
    chunks_per_key: Counter[str],
    extractor: Extractor,
    cache: ContentCache,
    concurrency: int,
    should_stop: Callable[[_Progress], bool],
    reporter: Progress,
) -> _Progress:
    """Extract ``texts`` (by key) with at most ``concurrency`` requests in flight; cache each usable answer."""
    progress = _Progress()
    todo = iter(texts.items())
    in_flight: dict[Future, str] = {}
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="extract") as pool:
        while True:
            while len(in_flight) < max(1, concurrency) and progress.error is None and not should_stop(progress):
                item = next(todo, None)
                if item is None:
                    break
                in_flight[pool.submit(_timed, extractor, item[1])] = item[0]
            if not in_flight:
                return progress
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                key = in_flight.pop(future)
                reporter.advance(chunks_per_key[key])
                try:
                    result, seconds = future.result()
                except Exception as exc:  # a bug or a refused endpoint: stop sending, keep what is in flight
                    progress.error = progress.error or exc
                    continue
                progress.usage += result.usage
                progress.request_seconds += seconds
                progress.failed_chunks += chunks_per_key[key] * result.failed
                if not result.failed:  # a failed answer is retried on the next run
                    cache.put(key, result.model_dump_json().encode())
                progress.answers[key] = result.model_copy(update={"usage": TokenUsage()})


def extract_chunks(
    chunks: pl.DataFrame,
    extractor: Extractor,
    cache: ContentCache,
    max_failed_ratio: float = 0.2,
    concurrency: int = 1,
    max_tokens_per_run: int | None = None,
    progress: Progress | None = None,
) -> ExtractionRun:
    """Extract every chunk (``chunk_id``, ``text``, ``content_hash``); only cache misses call the extractor.

    ``progress`` counts the chunks to extract (cache misses) as answers arrive.
    Raises ``ExtractionError`` when more than ``max_failed_ratio`` of the chunks got an unusable answer (sending
    stops as soon as that is certain), and ``TokenBudgetError`` once ``max_tokens_per_run`` tokens are spent.
    """
    rows = list(chunks.select("chunk_id", "text", "content_hash").iter_rows())
    keys = {
        chunk_id: stable_hash(extractor.extractor_id, content_hash, length=32) for chunk_id, _, content_hash in rows
    }
    cached = {k: ChunkExtraction.model_validate_json(v) for k, v in cache.get_many(keys.values()).items()}
    missing = {keys[chunk_id]: text for chunk_id, text, _ in rows if keys[chunk_id] not in cached}
    chunks_per_key = Counter(keys.values())
    allowed_failures = max_failed_ratio * len(rows)

    def should_stop(progress: _Progress) -> bool:
        over_budget = max_tokens_per_run is not None and progress.usage.total >= max_tokens_per_run
        return over_budget or progress.failed_chunks > allowed_failures  # the gate below would fail anyway

    reporter = or_silent(progress)
    reporter.start(sum(chunks_per_key[k] for k in missing), "chunks")
    progress = _request_all(missing, chunks_per_key, extractor, cache, concurrency, should_stop, reporter)
    reporter.finish()
    answers = cached | progress.answers
    done = [chunk_id for chunk_id, _, _ in rows if keys[chunk_id] in answers]
    run = ExtractionRun(
        results={chunk_id: answers[keys[chunk_id]] for chunk_id in done},
        cache_hits=sum(keys[chunk_id] in cached for chunk_id, _, _ in rows),
        cache_misses=len(progress.answers),
        usage=progress.usage,
        request_seconds=progress.request_seconds,
    )
    run.duplicate_chunks = len(done) - run.cache_hits - run.cache_misses
    run.failed_chunks = sum(r.failed for r in run.results.values())
    run.rejected = dict(sum((Counter(r.rejected) for r in run.results.values()), Counter()))
    if progress.error is not None:
        raise progress.error
    usable = len(done) - run.failed_chunks
    summary = (
        f"{usable} of {len(rows)} chunks done, {run.failed_chunks} unusable, "
        f"{run.usage.total} tokens spent; rejected by reason: {run.rejected}"
    )
    if run.failed_chunks > allowed_failures:
        raise ExtractionError(
            f"{run.failed_chunks} of {len(rows)} chunks got an unusable extraction (limit {max_failed_ratio:.0%}); "
            f"{summary}. Usable answers are cached: a re-run requests only the rest."
        )
    if len(done) < len(rows):
        raise TokenBudgetError(
            f"token budget of {max_tokens_per_run} spent after {usable} of {len(rows)} chunks; "
            f"re-run to continue from the cache ({summary})"
        )
    return run

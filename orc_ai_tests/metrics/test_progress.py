"""The progress reporter: counts, rates and ETA at intervals of an injected clock; silent between them."""

from __future__ import annotations

import io

import numpy as np

from orc_ai.cache import ContentCache
from orc_ai.embed.cached import embed_with_cache
from orc_ai.progress import BarProgress, Progress, or_silent


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_logs_counts_and_rates_only_once_each_interval() -> None:
    lines: list[str] = []
    clock = Clock()
    progress = Progress("entities", log=lines.append, every_s=10, clock=clock)
    progress.start(100, "chunks")
    for _ in range(4):  # 4 s, 4 items: within the first interval, nothing logged
        clock.now += 1
        progress.advance()
    assert lines == ["entities: 100 chunks to process"]
    clock.now += 6  # 10 s since start, 20 items
    progress.advance(16)
    assert lines[-1] == "entities: 20/100 chunks (20%), 2.0/s, ETA 40s"
    clock.now += 5
    progress.advance(30)  # 5 s after the last line: not yet
    assert len(lines) == 2
    clock.now += 5  # 20 s, 60 items: 3.0/s, 40 left
    progress.advance(10)
    assert lines[-1] == "entities: 60/100 chunks (60%), 3.0/s, ETA 13s"
    clock.now += 20
    progress.advance(40)
    progress.finish()
    assert lines[-1] == "entities: done, 100 chunks in 40s (2.5/s)"


def test_or_silent_reports_nothing() -> None:
    progress = or_silent(None)
    progress.start(3)
    progress.advance(3)
    progress.finish()
    assert progress.done == 3


class CountingEmbedder:
    model_id, dim = "counting", 2

    def __init__(self) -> None:
        self.calls: list[int] = []

    def embed(self, texts):
        self.calls.append(len(texts))
        return np.ones((len(texts), self.dim), dtype=np.float32)


def test_embedding_reports_each_batch_and_caches_all(tmp_path) -> None:
    lines: list[str] = []
    clock = Clock()
    embedder = CountingEmbedder()
    texts = [f"text {i}" for i in range(7)]
    with ContentCache(tmp_path / "cache.sqlite") as cache:
        progress = Progress("embeddings", log=lines.append, every_s=0, clock=clock)
        run = embed_with_cache(embedder, texts, cache, progress=progress, batch_size=3)
        again = embed_with_cache(embedder, texts, cache)
    assert embedder.calls == [3, 3, 1] and run.cache_misses == 7 and again.cache_hits == 7
    assert lines[0] == "embeddings: 7 texts to process"
    assert [line.split(" (")[0] for line in lines[1:4]] == [
        "embeddings: 3/7 texts", "embeddings: 6/7 texts", "embeddings: 7/7 texts"
    ]


def test_the_command_line_bar_counts_to_the_total() -> None:
    out = io.StringIO()
    bar = BarProgress("retrieve", file=out)
    bar.start(3, "queries")
    for _ in range(3):
        bar.advance()
    bar.finish()
    assert "retrieve" in out.getvalue() and "3/3" in out.getvalue()

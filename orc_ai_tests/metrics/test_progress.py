"""The progress reporter: counts, rates and ETA at intervals of an injected clock; silent between them."""

from __future__ import annotations

import io
from datetime import date, timedelta

import numpy as np
import pytest

from orc_ai.cache import ContentCache
from orc_ai.embed.cached import embed_with_cache
from orc_ai.forecast.model import ForecastSettings
from orc_ai.forecast.parallel import SeriesJob, forecast_many
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


@pytest.mark.slow  # two spawned workers importing Prophet
def test_forecasting_counts_series_as_worker_chunks_return() -> None:
    days = tuple(date(2026, 9, 1) + timedelta(days=i) for i in range(5))  # short: the fallback, no Prophet fit
    jobs = [SeriesJob("dag", f"t{i}", "duration_s", days, (1.0, 2.0, 3.0, 4.0, float(i))) for i in range(4)]
    counts: list[int] = []

    class Counting(Progress):
        def advance(self, n: int = 1) -> None:
            counts.append(n)
            super().advance(n)

    lines: list[str] = []
    progress = Counting("failure_forecast", log=lines.append, every_s=0, clock=Clock())
    outcomes = forecast_many(jobs, ForecastSettings(), horizon_days=2, folds=0, workers=2, progress=progress)
    assert [o.job for o in outcomes] == jobs
    assert sum(counts) == 4 and len(counts) >= 2  # one step per chunk of series a worker returned
    assert lines[0] == "failure_forecast: 4 series to process" and lines[-1].startswith("failure_forecast: done, 4 ")

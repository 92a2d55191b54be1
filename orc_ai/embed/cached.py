"""Embed texts through a content-hash cache so unchanged texts are never embedded twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from orc_ai import defaults
from orc_ai.cache import ContentCache
from orc_ai.embed.embedders import Embedder
from orc_ai.errors import EmbeddingError
from orc_ai.hashing import stable_hash
from orc_ai.progress import Progress, or_silent


@dataclass
class EmbeddingRun:
    vectors: np.ndarray
    cache_hits: int
    cache_misses: int


def embed_with_cache(
    embedder: Embedder,
    texts: Sequence[str],
    cache: ContentCache,
    *,
    progress: Progress | None = None,
    batch_size: int = defaults.EMBED_PROGRESS_BATCH,
) -> EmbeddingRun:
    """Vectors for ``texts`` in order; only texts not cached for this model are sent to the embedder, in calls of
    ``batch_size`` texts (each cached as it returns; ``progress`` counts them)."""
    keys = [stable_hash(embedder.model_id, text, length=32) for text in texts]
    cached = cache.get_many(keys)
    missing = list(dict.fromkeys(k for k in keys if k not in cached))
    if missing:
        text_of = dict(zip(keys, texts, strict=True))
        reporter = or_silent(progress)
        reporter.start(len(missing), "texts")
        for start in range(0, len(missing), max(1, batch_size)):
            batch = missing[start : start + max(1, batch_size)]
            fresh = embedder.embed([text_of[k] for k in batch])
            if fresh.shape[0] != len(batch) or not np.isfinite(fresh).all():
                raise EmbeddingError(
                    f"{embedder.model_id} returned {fresh.shape} for {len(batch)} texts or non-finite values"
                )
            new = {k: v.astype(np.float32).tobytes() for k, v in zip(batch, fresh, strict=True)}
            cache.put_many(new)
            cached.update(new)
            reporter.advance(len(batch))
        reporter.finish()
    if not keys:
        return EmbeddingRun(np.zeros((0, embedder.dim), dtype=np.float32), 0, 0)
    vectors = np.stack([np.frombuffer(cached[k], dtype=np.float32) for k in keys])
    return EmbeddingRun(vectors, cache_hits=len(keys) - len(missing), cache_misses=len(missing))

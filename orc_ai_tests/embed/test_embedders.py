from pathlib import Path

import numpy as np
import pytest

from orc_ai.cache import ContentCache
from orc_ai.embed.cached import embed_with_cache
from orc_ai.embed.embedders import SentenceTransformerEmbedder


@pytest.fixture(scope="module")
def embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder()


def test_packaged_minilm_gives_unit_384d_vectors_that_rank_by_meaning(embedder) -> None:
    vectors = embedder.embed(
        [
            "The Snowflake warehouse was suspended so the load task failed.",
            "Loading failed because the data warehouse was paused.",
            "The cafeteria serves lunch at noon.",
        ]
    )
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    related, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert related > unrelated + 0.3


class CountingEmbedder:
    """Wraps the real model and counts the texts it embeds."""

    def __init__(self, inner):
        self.inner, self.seen = inner, []
        self.model_id, self.dim = inner.model_id, inner.dim

    def embed(self, texts):
        self.seen.extend(texts)
        return self.inner.embed(texts)


def test_cache_embeds_each_distinct_text_once_per_model(embedder, tmp_path: Path) -> None:
    counting = CountingEmbedder(embedder)
    with ContentCache(tmp_path / "e.sqlite") as cache:
        first = embed_with_cache(counting, ["a b", "c d", "a b"], cache)
        second = embed_with_cache(counting, ["c d", "e f"], cache)
    assert counting.seen == ["a b", "c d", "e f"]
    assert (first.cache_misses, second.cache_hits, second.cache_misses) == (2, 1, 1)
    assert np.array_equal(first.vectors[1], second.vectors[0])
    assert np.array_equal(first.vectors[0], first.vectors[2])

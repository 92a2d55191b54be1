"""Query-to-fact seeding (HippoRAG 2's "query to triple" step, with sentences as the facts and no LLM filter):
every chunk sentence is embedded once when the retriever is built, and the few sentences nearest the query seed
the entities they name. A short sentence is one fact, which MiniLM matches better than a 200-token chunk, so
its entities are the question's bridge more often than all the entities of the best chunk are."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orc_ai.cache import ContentCache
from orc_ai.embed.cached import embed_with_cache
from orc_ai.embed.embedders import Embedder
from orc_ai.text.sentences import sentence_spans


def fact_text(title: str, sentence: str) -> str:
    """A sentence as embedded: its document title first, so "He was born in 1950." still names its subject."""
    return f"{title}: {sentence}" if title else sentence


@dataclass(frozen=True)
class ChunkText:
    """What a chunk contributes to the fact index: its document's title, its text and the entities it mentions
    (entity id, name)."""

    title: str
    text: str
    entities: list[tuple[str, str]]


class FactIndex:
    """Unit vectors of every chunk sentence (title-prefixed) and, per sentence, the entities whose name it writes
    (case-insensitive, the title included, so a document's subject is named by each of its sentences), and the
    chunk each sentence is from."""

    def __init__(
        self, texts: list[str], entity_ids: list[list[str]], vectors: np.ndarray, chunk_ids: list[str] | None = None
    ):
        chunk_ids = chunk_ids if chunk_ids is not None else [""] * len(texts)
        if not len(texts) == len(entity_ids) == vectors.shape[0] == len(chunk_ids):
            raise ValueError(
                f"{len(texts)} facts, {len(entity_ids)} entity lists, {vectors.shape[0]} vectors and "
                f"{len(chunk_ids)} chunk ids"
            )
        norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(texts) else np.ones((0, 1))
        self.texts, self.entity_ids, self.chunk_ids = texts, entity_ids, chunk_ids
        self.vectors = (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32)

    @classmethod
    def build(cls, chunks: dict[str, ChunkText], embedder: Embedder, cache: ContentCache | None = None) -> FactIndex:
        """Split every chunk into sentences and embed them (through ``cache`` when given: texts already
        embedded by this model are not embedded again)."""
        texts: list[str] = []
        entity_ids: list[list[str]] = []
        chunk_ids: list[str] = []
        for chunk_id in sorted(chunks):
            chunk = chunks[chunk_id]
            for start, end in sentence_spans(chunk.text):
                text = fact_text(chunk.title, chunk.text[start:end])
                lowered = text.casefold()
                entity_ids.append(sorted({e for e, name in chunk.entities if name and name.casefold() in lowered}))
                texts.append(text)
                chunk_ids.append(chunk_id)
        if not texts:
            return cls([], [], np.zeros((0, 1), dtype=np.float32))
        vectors = embed_with_cache(embedder, texts, cache).vectors if cache is not None else embedder.embed(texts)
        return cls(texts, entity_ids, np.asarray(vectors, dtype=np.float32), chunk_ids)

    def scores(self, vector: np.ndarray) -> np.ndarray:
        """Every sentence's cosine to ``vector``."""
        query = np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(query))
        return self.vectors @ (query / norm if norm > 0 else query)

    def top_facts(self, vector: np.ndarray, top: int, scores: np.ndarray | None = None) -> list[int]:
        """Indexes of the ``top`` sentences nearest ``vector`` by cosine, best first (ties by index); ``scores``
        are ``self.scores(vector)`` when already computed."""
        if top <= 0 or not self.texts:
            return []
        scores = self.scores(vector) if scores is None else scores
        if top < len(scores):  # every sentence scoring at least the top-th best, so ties are broken by index
            threshold = np.partition(scores, len(scores) - top)[len(scores) - top]
            candidates = np.flatnonzero(scores >= threshold)
        else:
            candidates = np.arange(len(scores))
        order = np.lexsort((candidates, -scores[candidates]))[:top]
        return [int(i) for i in candidates[order]]

    def seed_entities(self, vector: np.ndarray, top: int, scores: np.ndarray | None = None) -> list[str]:
        """The entities named by the ``top`` sentences nearest ``vector``, in the order first met."""
        return list(dict.fromkeys(e for i in self.top_facts(vector, top, scores) for e in self.entity_ids[i]))

    def sentence_rows(self, chunk_rows: dict[str, int]) -> np.ndarray:
        """Each sentence's chunk as a row of ``chunk_rows`` (-1 for a chunk not there), for ``best_per_chunk``."""
        return np.array([chunk_rows.get(c, -1) for c in self.chunk_ids], dtype=np.int64)

    @staticmethod
    def best_per_chunk(scores: np.ndarray, sentence_rows: np.ndarray, n_chunks: int) -> np.ndarray:
        """Each chunk row's best sentence score (-1 for a chunk without sentences)."""
        best = np.full(n_chunks, -1.0)
        known = sentence_rows >= 0
        np.maximum.at(best, sentence_rows[known], scores[known])
        return best

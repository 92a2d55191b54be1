"""An HNSW vector index (usearch) keyed by our hex ids, persisted beside the parquet tables."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from orc_ai.graph.models import SearchHit

EXACT_SEARCH_MAX = 20_000  # below this, brute force is fast and exact (and deterministic)


def id_key(node_id: str) -> int:
    """64-bit integer key of a 16-hex-digit id."""
    return int(node_id[:16], 16)


class VectorIndex:
    """Cosine index over unit vectors; ids are the graph's 16-hex node ids."""

    def __init__(self, path: Path, dim: int):
        from usearch.index import Index

        self.path = Path(path)
        self.dim = dim
        self.index = Index(ndim=dim, metric="cos", dtype="f32")
        if self.path.exists():
            self.index.load(str(self.path))  # takes the saved dimension
            if self.index.ndim != dim:  # saved for another embedding model: start empty, to be rebuilt
                self.index = Index(ndim=dim, metric="cos", dtype="f32")
        self._ids: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.index)

    def rebuild(self, ids: list[str], vectors: np.ndarray) -> None:
        self.index.reset()
        self._ids = {}
        self.upsert(ids, vectors)

    def set_ids(self, ids: list[str]) -> None:
        self._ids = {id_key(i): i for i in ids}

    def upsert(self, ids: list[str], vectors: np.ndarray) -> None:
        if not ids:
            return
        keys = np.array([id_key(i) for i in ids], dtype=np.uint64)
        present = keys[self.index.contains(keys)] if len(self.index) else keys[:0]
        if len(present):
            self.index.remove(present)
        self.index.add(keys, np.ascontiguousarray(vectors, dtype=np.float32))
        self._ids.update(zip(keys.tolist(), ids, strict=True))

    def remove(self, ids: list[str]) -> None:
        keys = np.array([id_key(i) for i in ids], dtype=np.uint64)
        if len(keys) and len(self.index):
            keys = keys[self.index.contains(keys)]
            if len(keys):
                self.index.remove(keys)
        for key in keys.tolist():
            self._ids.pop(key, None)

    def search(self, vector: np.ndarray, k: int) -> list[SearchHit]:
        if not len(self.index):
            return []
        matches = self.index.search(
            np.asarray(vector, dtype=np.float32), min(k, len(self.index)), exact=len(self.index) <= EXACT_SEARCH_MAX
        )
        return [
            SearchHit(id=self._ids[int(key)], score=round(1.0 - float(dist), 6))
            for key, dist in zip(matches.keys, matches.distances, strict=True)
            if int(key) in self._ids
        ]

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        self.index.save(str(tmp))
        os.replace(tmp, self.path)

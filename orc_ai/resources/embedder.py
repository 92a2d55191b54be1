"""The embedding model: the packaged MiniLM by default, or an OpenAI-compatible embeddings endpoint."""

from typing import Literal

import dagster as dg
from openai import OpenAI
from pydantic import Field

from orc_ai import defaults
from orc_ai.embed.embedders import Embedder, OpenAIEmbedder, SentenceTransformerEmbedder, packaged_model_path


class EmbedderResource(dg.ConfigurableResource):
    """Which model embeds chunks and entities."""

    provider: Literal["local", "openai"] = Field(
        default="local", description="'local': sentence-transformers model on disk; 'openai': an API."
    )
    model_path: str | None = Field(default=None, description="Local model folder; default the packaged MiniLM.")
    base_url: str | None = Field(default=None, description="OpenAI-compatible API base URL (provider=openai).")
    model: str = Field(default=defaults.API_EMBEDDING_MODEL, description="API model name (provider=openai).")
    api_key: str | None = Field(default=None, description="API key; pass dg.EnvVar, never a literal.")
    batch_size: int = Field(default=64, description="Texts per forward pass or request.")

    def get_embedder(self) -> Embedder:
        if self.provider == "openai":
            client = OpenAI(base_url=self.base_url, api_key=self.api_key or "unused")
            return OpenAIEmbedder(client, self.model, batch_size=self.batch_size)
        return SentenceTransformerEmbedder(self.model_path, batch_size=self.batch_size)

    def tokenizer_file(self) -> str:
        """The tokenizer chunk sizes are counted in: the local model's own; for an API model, whose tokenizer is
        not at hand, the packaged MiniLM's (sizes are then approximate; the tokenizer is part of the chunk cache
        key either way)."""
        if self.provider == "local":
            return str(SentenceTransformerEmbedder(self.model_path).tokenizer_file)
        return str(packaged_model_path() / "tokenizer.json")

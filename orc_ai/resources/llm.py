"""The chat LLM: dagster-openai's OpenAIResource pointed at any OpenAI-compatible endpoint."""

from dagster_openai import OpenAIResource
from pydantic import Field


class LLMResource(OpenAIResource):
    """Off unless ``base_url`` and ``model`` are set, so the default pipeline needs no API key."""

    api_key: str = Field(default="unused", description="API key; pass dg.EnvVar, never a literal.")
    model: str = Field(default="", description="Chat model name served at base_url.")

    @property
    def enabled(self) -> bool:
        return bool(self.base_url and self.model)

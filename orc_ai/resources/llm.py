"""The chat LLM: dagster-openai's OpenAIResource pointed at any OpenAI-compatible endpoint."""

from dagster import InitResourceContext
from dagster_openai import OpenAIResource
from openai import OpenAI
from pydantic import Field

from orc_ai import defaults
from orc_ai.errors import ConfigError


class LLMResource(OpenAIResource):
    """Off unless ``base_url`` and ``model`` are set, so the default pipeline needs no API key."""

    api_key: str = Field(default="unused", description="API key; pass dg.EnvVar, never a literal.")
    model: str = Field(default="", description="Chat model name served at base_url.")
    max_retries: int = Field(
        default=defaults.LLM_MAX_RETRIES,
        description="Retries (exponential backoff) of connection errors, timeouts, 429 and 5xx per request; "
        "what fails after them is counted as a failed item, never fails the asset on its own.",
    )
    timeout_s: float = Field(default=defaults.LLM_TIMEOUT_S, description="Seconds one request may take.")

    @property
    def enabled(self) -> bool:
        return bool(self.base_url and self.model)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._client = OpenAI(
            api_key=self.api_key,
            organization=self.organization,
            project=self.project,
            base_url=self.base_url,
            max_retries=self.max_retries,
            timeout=self.timeout_s,
        )

    def chat_client(self) -> OpenAI:
        """The client for this run, without dagster-openai's usage wrapper: its counters are not thread-safe
        and our requests run on a thread pool, so the domain code sums token usage itself."""
        if not self.enabled:
            raise ConfigError("the llm resource is off: set ORC_AI_LLM_BASE_URL and ORC_AI_LLM_MODEL")
        return self._client

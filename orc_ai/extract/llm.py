"""LLM extractor over any OpenAI-compatible chat endpoint, with JSON-schema-constrained output."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import openai

from orc_ai.errors import ConfigError
from orc_ai.extract.models import ChunkExtraction, TokenUsage
from orc_ai.extract.prompt import Prompt, load_prompt
from orc_ai.extract.validation import extraction_json_schema, validate_extraction
from orc_ai.extract.vocabulary import DEFAULT_ENTITY_TYPES, DEFAULT_RELATION_TYPES
from orc_ai.hashing import stable_hash

log = logging.getLogger(__name__)

PROMPT_VERSION = "entity_extraction_v1"
# the endpoint refused us as a client: every further request would be refused too
_CONFIG_FAILURES = (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError)


@dataclass(frozen=True)
class ChatAnswer:
    content: str
    usage: TokenUsage


def chat(client: Any, **request: Any) -> ChatAnswer:
    """One chat completion (the client does its own retries with backoff); text and token usage."""
    try:
        response = client.chat.completions.create(**request)
    except _CONFIG_FAILURES as exc:
        raise ConfigError(
            f"the LLM endpoint refused the request ({exc.status_code}): check ORC_AI_LLM_API_KEY and "
            f"ORC_AI_LLM_MODEL ({request.get('model')!r})"
        ) from exc
    usage = response.usage
    return ChatAnswer(
        content=(response.choices[0].message.content or "") if response.choices else "",
        usage=TokenUsage(
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
        ),
    )


def transport_failure(exc: BaseException) -> str | None:
    """A short reason when ``exc`` is a per-request failure left after the client's retries, else ``None``."""
    if isinstance(exc, openai.APITimeoutError):  # a subclass of APIConnectionError
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "connection_error"
    if isinstance(exc, openai.RateLimitError):
        return "rate_limited"
    if isinstance(exc, openai.InternalServerError):
        return "server_error"
    if isinstance(exc, openai.APIError):  # 400/409/422, or a response the client could not read
        return "request_rejected"
    return None


class LlmExtractor:
    """Asks a chat model for entities/relations; every answer passes ``validate_extraction``."""

    def __init__(
        self,
        client: Any,
        model: str,
        entity_types: Sequence[str] = DEFAULT_ENTITY_TYPES,
        relation_types: Sequence[str] = DEFAULT_RELATION_TYPES,
        prompt_version: str = PROMPT_VERSION,
        response_format: Literal["json_object", "json_schema"] = "json_object",
        max_tokens: int = 768,
        temperature: float = 0.0,
        prompt: Prompt | None = None,
    ):
        self.client = client
        self.model = model
        self.entity_types = tuple(sorted(entity_types))
        self.relation_types = tuple(sorted(relation_types))
        self.prompt = prompt or load_prompt(prompt_version)
        self.prompt_version = self.prompt.version
        self.schema = extraction_json_schema(self.entity_types, self.relation_types)
        self.response_format = response_format
        self.max_tokens = max_tokens
        self.temperature = temperature

    @property
    def extractor_id(self) -> str:
        """Model, prompt version, and a hash of the prompt's text, the schema (types) and the settings."""
        settings = stable_hash(
            self.prompt.content_hash,
            json.dumps(self.schema, sort_keys=True),
            str(self.max_tokens),
            str(self.temperature),
            self.response_format,
            length=12,
        )
        return f"llm:{self.model}:{self.prompt_version}:{settings}"

    def _response_format(self) -> dict:
        if self.response_format == "json_schema":  # OpenAI structured outputs
            return {"type": "json_schema", "json_schema": {"name": "extraction", "schema": self.schema}}
        return {"type": "json_object", "schema": self.schema}  # llama.cpp / vLLM style

    def answer(self, text: str) -> ChatAnswer:
        """The model's raw answer for one chunk (one chat completion) and what it cost."""
        messages = self.prompt.messages(
            entity_types=", ".join(self.entity_types), relation_types=", ".join(self.relation_types), text=text
        )
        return chat(
            self.client,
            model=self.model,
            messages=messages,
            response_format=self._response_format(),
            temperature=self.temperature,
            max_tokens=self.max_tokens,
        )

    def request(self, text: str) -> str:
        """The model's raw answer text for one chunk."""
        return self.answer(text).content

    def extract(self, text: str) -> ChunkExtraction:
        """Request and validate; malformed or ungrounded output, timeouts and transport errors are counted."""
        try:
            answer = self.answer(text)
        except openai.APIError as exc:
            reason = transport_failure(exc)
            log.warning("LLM request failed after retries (%s): %s", reason, str(exc)[:200])
            return ChunkExtraction(failed=True, rejected={reason or "request_rejected": 1})
        result = validate_extraction(answer.content, text, self.entity_types, self.relation_types)
        if result.failed or result.rejected:
            log.info("LLM extraction rejected items: %s", result.rejected)
        return result.model_copy(update={"usage": answer.usage})

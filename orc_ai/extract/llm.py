"""LLM extractor over any OpenAI-compatible chat endpoint, with JSON-schema-constrained output."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any, Literal

from orc_ai.errors import ConfigError
from orc_ai.extract.models import ChunkExtraction
from orc_ai.extract.validation import extraction_json_schema, validate_extraction
from orc_ai.extract.vocabulary import DEFAULT_ENTITY_TYPES, DEFAULT_RELATION_TYPES
from orc_ai.hashing import stable_hash

log = logging.getLogger(__name__)

PROMPT_VERSION = "entity_extraction_v1"


def load_prompt(version: str = PROMPT_VERSION) -> list[tuple[str, str]]:
    """(role, template) turns from ``orc_ai/extract/prompts/<version>.txt``, split at '### <role>' lines."""
    text = resources.files("orc_ai.extract").joinpath("prompts", f"{version}.txt").read_text("utf-8")
    parts = re.split(r"^### (system|user|assistant)\s*$", text, flags=re.MULTILINE)
    turns = [(role, body.strip()) for role, body in zip(parts[1::2], parts[2::2], strict=True)]
    if not turns or turns[-1][0] != "user" or "{text}" not in turns[-1][1]:
        raise ConfigError(f"prompt {version} must end with a '### user' turn containing {{text}}")
    return turns


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
    ):
        self.client = client
        self.model = model
        self.entity_types = tuple(sorted(entity_types))
        self.relation_types = tuple(sorted(relation_types))
        self.prompt_version = prompt_version
        self.prompt = load_prompt(prompt_version)
        self.schema = extraction_json_schema(self.entity_types, self.relation_types)
        self.response_format = response_format
        self.max_tokens = max_tokens
        self.temperature = temperature

    @property
    def extractor_id(self) -> str:
        settings = stable_hash(
            *self.entity_types,
            "|",
            *self.relation_types,
            str(self.max_tokens),
            str(self.temperature),
            self.response_format,
            length=8,
        )
        return f"llm:{self.model}:{self.prompt_version}:{settings}"

    def _response_format(self) -> dict:
        if self.response_format == "json_schema":  # OpenAI structured outputs
            return {"type": "json_schema", "json_schema": {"name": "extraction", "schema": self.schema}}
        return {"type": "json_object", "schema": self.schema}  # llama.cpp / vLLM style

    def request(self, text: str) -> str:
        """The model's raw answer for one chunk (one chat completion)."""
        values = {
            "entity_types": ", ".join(self.entity_types),
            "relation_types": ", ".join(self.relation_types),
            "text": text,
        }
        response = self.client.chat.completions.create(
            model=self.model,
            messages=[{"role": role, "content": template.format(**values)} for role, template in self.prompt],
            response_format=self._response_format(),
            temperature=self.temperature,
            max_tokens=self.max_tokens,
        )
        return response.choices[0].message.content or ""

    def extract(self, text: str) -> ChunkExtraction:
        """Request and validate; malformed or ungrounded output is rejected and counted."""
        result = validate_extraction(self.request(text), text, self.entity_types, self.relation_types)
        if result.failed or result.rejected:
            log.info("LLM extraction rejected items: %s", result.rejected)
        return result

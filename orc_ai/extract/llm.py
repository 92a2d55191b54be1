"""LLM extractor over any OpenAI-compatible chat endpoint, with JSON-schema-constrained output."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from importlib import resources
from typing import Any, Literal

from orc_ai.extract.models import ChunkExtraction
from orc_ai.extract.validation import extraction_json_schema, validate_extraction
from orc_ai.hashing import stable_hash

log = logging.getLogger(__name__)

PROMPT_VERSION = "entity_extraction_v1"
DEFAULT_ENTITY_TYPES = ("DAG", "Task", "Team", "System", "Person", "Table", "Topic", "Error", "Concept")
DEFAULT_RELATION_TYPES = ("OWNED_BY", "PART_OF", "DEPENDS_ON", "USES", "CAUSED", "RESOLVED_BY", "RELATED_TO")


def load_prompt(version: str = PROMPT_VERSION) -> str:
    """Prompt template text from ``orc_ai/extract/prompts/<version>.txt``."""
    return resources.files("orc_ai.extract").joinpath("prompts", f"{version}.txt").read_text("utf-8")


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
        max_tokens: int = 1024,
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

    def extract(self, text: str) -> ChunkExtraction:
        """One chat completion per chunk; malformed or ungrounded output is rejected and counted."""
        prompt = self.prompt.format(
            entity_types=", ".join(self.entity_types), relation_types=", ".join(self.relation_types), text=text
        )
        response = self.client.chat.completions.create(
            model=self.model,
            messages=[{"role": "user", "content": prompt}],
            response_format=self._response_format(),
            temperature=self.temperature,
            max_tokens=self.max_tokens,
        )
        raw = response.choices[0].message.content or ""
        result = validate_extraction(raw, text, self.entity_types, self.relation_types)
        if result.failed or result.rejected:
            log.info("LLM extraction rejected items: %s", result.rejected)
        return result

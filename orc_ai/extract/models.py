"""Records produced by extractors, one ``ChunkExtraction`` per chunk.

``ExtractionAnswer`` and its items are also what an LLM is asked to write: the JSON schema given to the model
is derived from them (``orc_ai.extract.validation.extraction_json_schema``). The ``json_schema_extra`` bounds
only shape the schema (a constrained decoder cannot ramble past them); validation cleans and truncates instead.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

MAX_ENTITIES = 25
MAX_RELATIONS = 40
MAX_NAME_CHARS = 80
MAX_DESCRIPTION_CHARS = 200

# every field is required in the derived schema, so a constrained model always writes all of them
_SCHEMA_ALL_REQUIRED = ConfigDict(json_schema_serialization_defaults_required=True)


class ExtractedEntity(BaseModel):
    model_config = _SCHEMA_ALL_REQUIRED

    name: str = Field(json_schema_extra={"minLength": 1, "maxLength": MAX_NAME_CHARS})
    type: str
    description: str = Field(default="", json_schema_extra={"maxLength": MAX_DESCRIPTION_CHARS})


class ExtractedRelation(BaseModel):
    model_config = _SCHEMA_ALL_REQUIRED

    source: str = Field(json_schema_extra={"maxLength": MAX_NAME_CHARS})
    target: str = Field(json_schema_extra={"maxLength": MAX_NAME_CHARS})
    type: str
    description: str = Field(default="", json_schema_extra={"maxLength": MAX_DESCRIPTION_CHARS})
    strength: float = 1.0


class ExtractionAnswer(BaseModel):
    """The entities and relations of one chunk: the shape an LLM answers in."""

    model_config = _SCHEMA_ALL_REQUIRED

    entities: list[ExtractedEntity] = Field(default_factory=list, json_schema_extra={"maxItems": MAX_ENTITIES})
    relations: list[ExtractedRelation] = Field(default_factory=list, json_schema_extra={"maxItems": MAX_RELATIONS})


class TokenUsage(BaseModel):
    """Tokens one or more LLM calls cost, as the responses report them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class ChunkExtraction(ExtractionAnswer):
    """What one extractor found in one chunk, and how many items it rejected (by reason)."""

    rejected: dict[str, int] = Field(default_factory=dict)
    failed: bool = Field(default=False, description="True when the whole answer was unusable.")
    usage: TokenUsage = Field(
        default_factory=TokenUsage, exclude=True, description="What producing this answer cost; never cached."
    )


class Extractor(Protocol):
    """Anything that turns chunk text into entities and relations."""

    @property
    def extractor_id(self) -> str:
        """Identifies model, prompt/rules version and settings; part of the cache key."""
        ...

    def extract(self, text: str) -> ChunkExtraction: ...

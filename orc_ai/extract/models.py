"""Records produced by extractors, one ``ChunkExtraction`` per chunk."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, Field


class ExtractedEntity(BaseModel):
    name: str
    type: str
    description: str = ""


class ExtractedRelation(BaseModel):
    source: str
    target: str
    type: str
    description: str = ""
    strength: float = 1.0


class ChunkExtraction(BaseModel):
    """What one extractor found in one chunk, and how many items it rejected (by reason)."""

    entities: list[ExtractedEntity] = Field(default_factory=list)
    relations: list[ExtractedRelation] = Field(default_factory=list)
    rejected: dict[str, int] = Field(default_factory=dict)
    failed: bool = Field(default=False, description="True when the whole answer was unusable.")


class Extractor(Protocol):
    """Anything that turns chunk text into entities and relations."""

    @property
    def extractor_id(self) -> str:
        """Identifies model, prompt/rules version and settings; part of the cache key."""
        ...

    def extract(self, text: str) -> ChunkExtraction: ...

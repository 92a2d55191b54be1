"""What retrieval returns: context items that always name their chunk and source document."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ContextItem(BaseModel):
    """One chunk of context. ``sources`` gives each component's rank for it (e.g. {"dense": 1, "ppr": 4})."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    doc_id: str
    doc_name: str  # the raw_docs name of the source document
    text: str
    score: float
    tokens: int = 0
    sources: dict[str, int] = Field(default_factory=dict)


class CommunityContext(BaseModel):
    """A community summary offered for global questions."""

    model_config = ConfigDict(frozen=True)

    community_id: str
    title: str
    summary: str
    score: float


class RetrievalResult(BaseModel):
    """Ranked context for one query, cut to the token budget."""

    query: str
    items: list[ContextItem]
    communities: list[CommunityContext] = Field(default_factory=list)
    linked_entity_ids: list[str] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)

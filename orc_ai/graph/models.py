"""Shapes every GraphStore returns, so the agent sees the same thing from any backend."""

from __future__ import annotations

from pydantic import BaseModel, Field

# clustering treats a relation's weight as at least this (a zero or negative weight would drop or invert the edge)
MIN_EDGE_WEIGHT = 1e-9


class SearchHit(BaseModel):
    id: str
    score: float = Field(description="Cosine similarity, higher is closer.")


class GraphStats(BaseModel):
    documents: int = 0
    chunks: int = 0
    entities: int = 0
    relations: int = 0
    communities: int = 0
    mentions: int = Field(default=0, description="Chunk-MENTIONS->Entity links.")
    next_chunk: int = Field(default=0, description="Chunk-NEXT_CHUNK->Chunk links.")
    in_community: int = 0


class Neighbourhood(BaseModel):
    """Entities within k hops of the seeds, the relations between them and their evidence chunks."""

    entity_ids: list[str]
    relations: list[dict]
    evidence_chunk_ids: list[str]

"""What a retriever is built from: the chain's tables and one configuration model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl
from pydantic import BaseModel, Field

from orc_ai import defaults
from orc_ai.errors import ConfigError

COMPONENTS = ("dense", "bm25", "ppr")
TABLE_NAMES = ("raw_docs", "chunks", "entities", "relations", "communities")


@dataclass(frozen=True)
class RetrievalTables:
    """The chain's tables (the assets' parquet files); ``communities`` may be empty."""

    raw_docs: pl.DataFrame
    chunks: pl.DataFrame
    entities: pl.DataFrame
    relations: pl.DataFrame
    communities: pl.DataFrame

    @classmethod
    def read(cls, asset_dir: Path) -> RetrievalTables:
        """Read ``<asset_dir>/<table>.parquet``; a missing communities table is empty, any other is an error."""
        frames = {}
        for name in TABLE_NAMES:
            path = asset_dir / f"{name}.parquet"
            if not path.exists() and name == "communities":
                frames[name] = pl.DataFrame()
                continue
            if not path.exists():
                raise ConfigError(f"{path} not found: materialise the knowledge-graph assets (scripts/run-sample)")
            frames[name] = pl.read_parquet(path)
        return cls(**frames)


class RetrievalConfig(BaseModel):
    """Which components run and how their rankings are fused."""

    components: tuple[str, ...] = Field(
        default=defaults.RETRIEVAL_COMPONENTS, description="Rankings computed and fused, of dense, bm25, ppr."
    )
    fusion: Literal["learned", "rrf"] = Field(
        default=defaults.RETRIEVAL_FUSION,
        description="'learned': the packaged model's score over every component's signals; 'rrf': reciprocal rank.",
    )
    candidates: int = Field(default=defaults.RETRIEVAL_CANDIDATES, description="Chunks each component ranks.")
    rrf_k: int = Field(default=defaults.RRF_K, description="Reciprocal-rank fusion constant.")
    weights: dict[str, float] = Field(
        default_factory=lambda: dict(defaults.RETRIEVAL_WEIGHTS), description="Per-component RRF weight."
    )
    ppr_damping: float = Field(default=defaults.PPR_DAMPING, description="PageRank damping (HippoRAG: 0.5).")
    ppr_tolerance: float = Field(
        default=defaults.PPR_TOLERANCE, gt=0, description="Bound on the L1 error of each PageRank vector."
    )
    ppr_passage_seed: float = Field(
        default=defaults.PPR_PASSAGE_SEED,
        description="Seed mass of dense-retrieved chunk nodes relative to the linked entities (HippoRAG 2).",
    )
    ppr_passage_seeds: str = Field(
        default="dense", description="Chunk seeds: 'dense' cosines, or 'hybrid' (dense and BM25 fused by rank)."
    )
    ppr_title_seed: float = Field(
        default=defaults.PPR_TITLE_SEED, description="Seed of each chunk of a document the query names by title."
    )
    ppr_relation_edges: bool = Field(default=True, description="Entity–entity relation edges in the PPR graph.")
    link_vector_entities: int = Field(
        default=defaults.LINK_VECTOR_ENTITIES, description="Entities linked by vector search on the query."
    )
    link_min_cosine: float = Field(default=defaults.LINK_MIN_COSINE, description="Least cosine for a vector link.")
    fact_top: int = Field(
        default=defaults.FACT_TOP,
        ge=0,
        description="Sentences nearest the query whose named entities seed PageRank (0: no fact seeds).",
    )
    fact_seed: float = Field(
        default=defaults.FACT_SEED, gt=0, description="Link score of an entity seeded by a sentence (a name: 1)."
    )
    hop_top: int = Field(
        default=defaults.HOP_TOP, description="First-round chunks that seed a second PPR round (0: one round)."
    )
    hop_passage_seed: float = Field(
        default=defaults.HOP_PASSAGE_SEED, description="Seed mass of the first round's top chunks in round two."
    )
    hop_title_seed: float = Field(
        default=defaults.HOP_TITLE_SEED,
        description="Seed mass of the chunks of documents the top chunks name by title, in round two.",
    )
    communities: int = Field(default=defaults.RETRIEVAL_COMMUNITIES, description="Community summaries returned.")

    def has_every_signal(self) -> bool:
        """Whether every signal of learned fusion is computed: all three components, two PageRank rounds and the
        sentence scores of fact seeding."""
        return set(COMPONENTS) <= set(self.components) and self.hop_top > 0 and self.fact_top > 0

"""The whole extraction step from plain values: build the extractor, extract every chunk, resolve entities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from orc_ai import defaults
from orc_ai.cache import ContentCache
from orc_ai.extract.llm import PROMPT_VERSION, LlmExtractor
from orc_ai.extract.models import Extractor
from orc_ai.extract.nlp import NlpExtractor
from orc_ai.extract.pipeline import ExtractionRun, extract_chunks
from orc_ai.extract.resolution import resolve_entities
from orc_ai.extract.vocabulary import DEFAULT_ENTITY_TYPES, DEFAULT_RELATION_TYPES
from orc_ai.progress import Progress

ExtractorKind = Literal["nlp", "llm"]


def build_extractor(
    kind: ExtractorKind,
    client: Any = None,
    model: str = "",
    *,
    entity_types: Sequence[str] = DEFAULT_ENTITY_TYPES,
    relation_types: Sequence[str] = DEFAULT_RELATION_TYPES,
    prompt_version: str = PROMPT_VERSION,
    response_format: Literal["json_object", "json_schema"] = "json_object",
    max_entities_per_chunk: int = defaults.MAX_ENTITIES_PER_CHUNK,
) -> Extractor:
    """The offline NLP extractor, or the LLM one over ``client`` (an OpenAI-compatible client) and ``model``."""
    if kind == "llm":
        return LlmExtractor(client, model, entity_types, relation_types, prompt_version, response_format)
    return NlpExtractor(max_entities_per_chunk)


@dataclass
class EntityExtraction:
    """The ``entities`` and ``relations`` tables, and what producing them cost."""

    entities: pl.DataFrame
    relations: pl.DataFrame
    run: ExtractionRun
    extractor_id: str
    uses_llm: bool = False

    def entity_metadata(self) -> dict[str, Any]:
        run = self.run
        surface_names = {e.name for r in run.results.values() for e in r.entities}
        return {
            "extractor": self.extractor_id,
            "entities": self.entities.height,
            "mentions": sum(len(r.entities) for r in run.results.values()),
            "chunks_extracted": run.cache_misses,
            "chunks_from_cache": run.cache_hits,
            "chunks_deduplicated": run.duplicate_chunks,
            "failed_chunks": run.failed_chunks,
            "rejected_by_reason": run.rejected,
            "merged_by_resolution": len(surface_names) - self.entities.height,
            "llm_prompt_tokens": run.usage.prompt_tokens,
            "llm_completion_tokens": run.usage.completion_tokens,
            "llm_requests": run.cache_misses if self.uses_llm else 0,
            "llm_latency_s": run.request_seconds if self.uses_llm else 0.0,
        }

    def relation_metadata(self) -> dict[str, Any]:
        relations = self.relations
        by_type = dict(relations.group_by("type").len().sort("type").rows()) if relations.height else {}
        return {"relations": relations.height, "by_type": by_type}


def extract_entities(
    chunks: pl.DataFrame,
    extractor: Extractor,
    cache: ContentCache,
    *,
    fuzzy_merge_threshold: float = defaults.FUZZY_MERGE_THRESHOLD,
    max_failed_ratio: float = defaults.MAX_FAILED_EXTRACTION_RATIO,
    concurrency: int = defaults.LLM_CONCURRENCY,
    max_tokens_per_run: int | None = defaults.LLM_MAX_TOKENS_PER_RUN,
    progress: Progress | None = None,
) -> EntityExtraction:
    """Extract every chunk (cached by content + extractor id), then merge duplicates into canonical entities.

    ``concurrency`` and ``max_tokens_per_run`` apply to LLM requests; the CPU-bound NLP extractor runs inline.
    """
    llm = isinstance(extractor, LlmExtractor)
    run = extract_chunks(
        chunks,
        extractor,
        cache,
        max_failed_ratio,
        concurrency=concurrency if llm else 1,
        max_tokens_per_run=max_tokens_per_run if llm else None,
        progress=progress,
    )
    chunk_docs = dict(chunks.select("chunk_id", "doc_id").iter_rows())
    entities, relations = resolve_entities(run.results, chunk_docs, fuzzy_merge_threshold)
    return EntityExtraction(entities, relations, run, extractor.extractor_id, uses_llm=llm)

"""entities and relations: extraction per chunk (offline NLP or an LLM), then entity resolution."""

from typing import Literal

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.assets import KNOWLEDGE_GRAPH, downstream_automation
from orc_ai.errors import ConfigError
from orc_ai.extract.llm import PROMPT_VERSION, LlmExtractor
from orc_ai.extract.nlp import NlpExtractor
from orc_ai.extract.pipeline import extract_chunks
from orc_ai.extract.resolution import resolve_entities
from orc_ai.extract.vocabulary import DEFAULT_ENTITY_TYPES, DEFAULT_RELATION_TYPES
from orc_ai.resources.llm import LLMResource
from orc_ai.resources.local_state import LocalStateResource


class EntitiesConfig(dg.Config):
    extractor: Literal["nlp", "llm"] = Field(default="nlp", description="'nlp' offline rules; 'llm' the llm resource.")
    entity_types: list[str] = Field(default=list(DEFAULT_ENTITY_TYPES), description="Allowed LLM entity types.")
    relation_types: list[str] = Field(default=list(DEFAULT_RELATION_TYPES), description="Allowed LLM relation types.")
    prompt_version: str = Field(default=PROMPT_VERSION, description="Prompt file under orc_ai/extract/prompts.")
    response_format: Literal["json_object", "json_schema"] = Field(
        default="json_object", description="'json_object' + schema (llama.cpp, vLLM) or OpenAI 'json_schema'."
    )
    max_entities_per_chunk: int = Field(default=defaults.MAX_ENTITIES_PER_CHUNK, description="NLP cap per chunk.")
    fuzzy_merge_threshold: float = Field(
        default=defaults.FUZZY_MERGE_THRESHOLD, description="rapidfuzz ratio to merge."
    )
    max_failed_ratio: float = Field(
        default=defaults.MAX_FAILED_EXTRACTION_RATIO,
        description="Fail the asset if more chunks than this got unusable answers.",
    )


@dg.multi_asset(
    outs={
        "entities": dg.AssetOut(
            description="Canonical entities with aliases and mentioning chunks.",
            group_name=KNOWLEDGE_GRAPH,
            automation_condition=downstream_automation(),
        ),
        "relations": dg.AssetOut(
            description="Entity relations with weights and evidence chunk ids.",
            group_name=KNOWLEDGE_GRAPH,
            automation_condition=downstream_automation(),
        ),
    },
    can_subset=False,
)
def entities(
    context: dg.AssetExecutionContext,
    config: EntitiesConfig,
    state: LocalStateResource,
    llm: LLMResource,
    chunks: pl.DataFrame,
):
    """Extract entities and relations from every chunk, then merge duplicates into canonical entities."""
    with state.cache("extractions") as cache:
        if config.extractor == "llm":
            if not llm.enabled:
                raise ConfigError(
                    "extractor='llm' needs the llm resource: set ORC_AI_LLM_BASE_URL and ORC_AI_LLM_MODEL"
                )
            with llm.get_client_for_asset(context, dg.AssetKey("entities")) as client:
                extractor = LlmExtractor(
                    client,
                    llm.model,
                    config.entity_types,
                    config.relation_types,
                    config.prompt_version,
                    config.response_format,
                )
                run = extract_chunks(chunks, extractor, cache, config.max_failed_ratio)
        else:
            extractor = NlpExtractor(config.max_entities_per_chunk)
            run = extract_chunks(chunks, extractor, cache, config.max_failed_ratio)
    chunk_docs = dict(chunks.select("chunk_id", "doc_id").iter_rows())
    table, relations = resolve_entities(run.results, chunk_docs, config.fuzzy_merge_threshold)
    mentions = sum(len(r.entities) for r in run.results.values())
    yield dg.Output(
        table,
        output_name="entities",
        metadata={
            "extractor": extractor.extractor_id,
            "entities": table.height,
            "mentions": mentions,
            "chunks_extracted": run.cache_misses,
            "chunks_from_cache": run.cache_hits,
            "failed_chunks": run.failed_chunks,
            "rejected_by_reason": run.rejected,
            "merged_by_resolution": len({n for r in run.results.values() for n in (e.name for e in r.entities)})
            - table.height,
        },
    )
    yield dg.Output(
        relations,
        output_name="relations",
        metadata={
            "relations": relations.height,
            "by_type": dict(relations.group_by("type").len().sort("type").rows()) if relations.height else {},
        },
    )

"""entities and relations: extraction per chunk (offline NLP or an LLM), then entity resolution."""

from typing import Literal

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.assets import KNOWLEDGE_GRAPH, downstream_automation
from orc_ai.assets.step_resources import LLM_STEP_TAGS
from orc_ai.defaults import LLM_POOL
from orc_ai.extract.entities import build_extractor, extract_entities
from orc_ai.extract.llm import PROMPT_VERSION
from orc_ai.extract.vocabulary import DEFAULT_ENTITY_TYPES, DEFAULT_RELATION_TYPES
from orc_ai.progress import Progress
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
    llm_concurrency: int = Field(default=defaults.LLM_CONCURRENCY, description="LLM requests in flight at once.")
    max_tokens_per_run: int | None = Field(
        default=defaults.LLM_MAX_TOKENS_PER_RUN,
        description="LLM tokens (prompt + completion) this run may spend; once spent no request is sent and the "
        "asset fails; a re-run continues from the cache. None: no limit.",
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
    pool=LLM_POOL,
    op_tags=LLM_STEP_TAGS,
)
def entities(
    context: dg.AssetExecutionContext,
    config: EntitiesConfig,
    state: LocalStateResource,
    llm: LLMResource,
    chunks: pl.DataFrame,
):
    """Extract entities and relations from every chunk, then merge duplicates into canonical entities."""
    extractor = build_extractor(
        config.extractor,
        llm.chat_client() if config.extractor == "llm" else None,
        llm.model,
        entity_types=config.entity_types,
        relation_types=config.relation_types,
        prompt_version=config.prompt_version,
        response_format=config.response_format,
        max_entities_per_chunk=config.max_entities_per_chunk,
    )
    with state.cache("extractions") as cache:
        result = extract_entities(
            chunks,
            extractor,
            cache,
            fuzzy_merge_threshold=config.fuzzy_merge_threshold,
            max_failed_ratio=config.max_failed_ratio,
            concurrency=config.llm_concurrency,
            max_tokens_per_run=config.max_tokens_per_run,
            progress=Progress("entities", log=context.log.info),
        )
    yield dg.Output(result.entities, output_name="entities", metadata=result.entity_metadata())
    yield dg.Output(result.relations, output_name="relations", metadata=result.relation_metadata())

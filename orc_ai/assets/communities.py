"""communities: hierarchical Leiden over the stored entity graph, with a summary per community."""

from typing import Literal

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.assets import KNOWLEDGE_GRAPH, downstream_automation
from orc_ai.assets.step_resources import LLM_STEP_TAGS
from orc_ai.defaults import NEO4J_WRITE_POOL
from orc_ai.graph.community_build import build_communities
from orc_ai.graph.summaries import LlmSummariser
from orc_ai.resources.graph_store import GraphStoreResource
from orc_ai.resources.llm import LLMResource
from orc_ai.resources.local_state import LocalStateResource


class CommunitiesConfig(dg.Config):
    algorithm: Literal["leidenalg", "gds"] = Field(
        default=defaults.COMMUNITY_ALGORITHM,
        description="leidenalg: Leiden in this process, on any store. gds: Leiden inside Neo4j (Graph Data Science "
        "plugin; the Neo4j store only), levels from its intermediate communities.",
    )
    max_cluster_size: int = Field(default=defaults.LEIDEN_MAX_CLUSTER_SIZE, description="Split larger communities.")
    max_levels: int = Field(default=defaults.LEIDEN_MAX_LEVELS, description="Depth of the hierarchy.")
    seed: int = Field(default=defaults.LEIDEN_SEED, description="Leiden random seed (fixed: reproducible runs).")
    resolution: float = Field(default=defaults.LEIDEN_RESOLUTION, description="Leiden resolution parameter.")
    llm_summaries: bool = Field(default=True, description="Use the llm resource for summaries when configured.")


@dg.asset(
    group_name=KNOWLEDGE_GRAPH, automation_condition=downstream_automation(), deps=["neo4j_graph"],
    pool=NEO4J_WRITE_POOL, op_tags=LLM_STEP_TAGS,
)
def communities(
    config: CommunitiesConfig,
    graph_store: GraphStoreResource,
    llm: LLMResource,
    state: LocalStateResource,
    entities: pl.DataFrame,
    relations: pl.DataFrame,
    chunks: pl.DataFrame,
) -> dg.Output[pl.DataFrame]:
    """Communities at several levels with parent links, titles and summaries, written back to the store."""
    with state.cache("community_summaries") as cache:
        use_llm = config.llm_summaries and llm.enabled
        built = build_communities(
            graph_store.get_store(),
            entities,
            relations,
            chunks,
            algorithm=config.algorithm,
            max_cluster_size=config.max_cluster_size,
            max_levels=config.max_levels,
            seed=config.seed,
            resolution=config.resolution,
            summariser=LlmSummariser(llm.chat_client(), llm.model, cache) if use_llm else None,
        )
    return dg.Output(built.table, metadata=built.metadata())

"""embeddings: one vector per chunk and per entity, cached by content hash."""

import dagster as dg
import polars as pl

from orc_ai.assets import KNOWLEDGE_GRAPH, downstream_automation
from orc_ai.assets.step_resources import EMBEDDING_STEP_TAGS
from orc_ai.embed.tables import embed_tables
from orc_ai.progress import Progress
from orc_ai.resources.embedder import EmbedderResource
from orc_ai.resources.local_state import LocalStateResource


@dg.asset(group_name=KNOWLEDGE_GRAPH, automation_condition=downstream_automation(), op_tags=EMBEDDING_STEP_TAGS)
def embeddings(
    context: dg.AssetExecutionContext,
    embedder: EmbedderResource,
    state: LocalStateResource,
    raw_docs: pl.DataFrame,
    chunks: pl.DataFrame,
    entities: pl.DataFrame,
) -> dg.Output[pl.DataFrame]:
    """Unit-length vectors for chunks (document title + text) and entities (name, type, aliases, description)."""
    model = embedder.get_embedder()
    with state.cache("embeddings") as cache:
        table, run = embed_tables(
            model, raw_docs, chunks, entities, cache, progress=Progress("embeddings", log=context.log.info)
        )
    return dg.Output(
        table,
        metadata={
            "model": model.model_id,
            "dimension": int(run.vectors.shape[1]),
            "vectors": table.height,
            "embedded": run.cache_misses,
            "from_cache": run.cache_hits,
        },
    )

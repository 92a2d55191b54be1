"""embeddings: one vector per chunk and per entity, cached by content hash."""

import dagster as dg
import polars as pl

from orc_ai.assets import KNOWLEDGE_GRAPH, downstream_automation
from orc_ai.embed.cached import embed_with_cache
from orc_ai.embed.texts import chunk_embedding_text, entity_text
from orc_ai.resources.embedder import EmbedderResource
from orc_ai.resources.local_state import LocalStateResource


@dg.asset(group_name=KNOWLEDGE_GRAPH, automation_condition=downstream_automation())
def embeddings(
    embedder: EmbedderResource,
    state: LocalStateResource,
    raw_docs: pl.DataFrame,
    chunks: pl.DataFrame,
    entities: pl.DataFrame,
) -> dg.Output[pl.DataFrame]:
    """Unit-length vectors for chunks (document title + text) and entities (name, type, aliases, description)."""
    model = embedder.get_embedder()
    ids = chunks["chunk_id"].to_list() + entities["entity_id"].to_list()
    kinds = ["chunk"] * chunks.height + ["entity"] * entities.height
    titles = dict(raw_docs.select("doc_id", "title").iter_rows())
    texts = [chunk_embedding_text(titles[d], t) for d, t in chunks.select("doc_id", "text").iter_rows()]
    texts += [entity_text(row) for row in entities.iter_rows(named=True)]
    with state.cache("embeddings") as cache:
        run = embed_with_cache(model, texts, cache)
    table = pl.DataFrame({"id": ids, "kind": kinds, "model": [model.model_id] * len(ids)}).with_columns(
        pl.Series("vector", run.vectors, dtype=pl.Array(pl.Float32, run.vectors.shape[1]))
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

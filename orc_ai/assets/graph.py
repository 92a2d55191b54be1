"""neo4j_graph: the knowledge graph in the configured GraphStore (embedded by default, Neo4j in production)."""

import dagster as dg
import polars as pl

from orc_ai.assets import KNOWLEDGE_GRAPH, downstream_automation
from orc_ai.defaults import NEO4J_WRITE_POOL
from orc_ai.graph.loading import load_graph
from orc_ai.progress import Progress
from orc_ai.resources.graph_store import GraphStoreResource


@dg.asset(group_name=KNOWLEDGE_GRAPH, automation_condition=downstream_automation(), pool=NEO4J_WRITE_POOL)
def neo4j_graph(
    context: dg.AssetExecutionContext,
    graph_store: GraphStoreResource,
    raw_docs: pl.DataFrame,
    chunks: pl.DataFrame,
    entities: pl.DataFrame,
    relations: pl.DataFrame,
    embeddings: pl.DataFrame,
) -> dg.Output[dict]:
    """Documents, chunks, entities and relations with their vectors, upserted by id; stale rows pruned."""
    stats, pruned = load_graph(
        graph_store.get_store(), raw_docs, chunks, entities, relations, embeddings,
        progress=Progress("neo4j_graph", log=context.log.info),
    )
    return dg.Output(
        stats.model_dump(), metadata={**stats.model_dump(), "backend": graph_store.backend, "pruned": pruned}
    )

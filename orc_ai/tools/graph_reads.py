"""Read tools over the knowledge graph: ``search_graph`` (retrieval) and ``entity_neighbourhood``."""

from __future__ import annotations

from typing import Any

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from orc_ai import defaults
from orc_ai.graph.store import GraphStore
from orc_ai.tools.context import Retriever, ToolContext


class SearchGraphArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=2000, description="What to look for, in plain words.")
    k: int = Field(
        default=defaults.SEARCH_GRAPH_K,
        ge=1,
        le=defaults.SEARCH_GRAPH_MAX_K,
        description="How many chunks to return, best first.",
    )


def search_graph(args: SearchGraphArgs, ctx: ToolContext) -> dict[str, Any]:
    """Chunks (with chunk id, document name and text) ranked for the query, plus community summaries."""
    retriever: Retriever = ctx.need("retriever", "the graph retriever")
    result = retriever.retrieve(args.query, k=args.k)
    return {
        "query": result.query,
        "items": [
            {
                "chunk_id": i.chunk_id,
                "doc_name": i.doc_name,
                "score": i.score,
                "text": i.text,
                "sources": dict(i.sources),
            }
            for i in result.items
        ],
        "communities": [c.model_dump(mode="json") for c in result.communities],
        "linked_entity_ids": list(result.linked_entity_ids),
    }


class EntityNeighbourhoodArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entity: str = Field(
        min_length=1, max_length=300, description="An entity's id, or its name or alias as the documents write it."
    )
    hops: int = Field(
        default=1, ge=1, le=defaults.NEIGHBOURHOOD_MAX_HOPS, description="How many relation steps to follow."
    )


def _resolve(entity: str, store: GraphStore, entities: pl.DataFrame | None) -> tuple[str | None, str]:
    """The entity id ``entity`` names, and how it was found: by id, name or alias (exact, any case) in the
    entities table, else the store's full-text search over names, aliases and descriptions."""
    if entities is not None and entities.height:
        wanted = entity.strip().lower()  # as polars lower-cases
        for how, match in (
            ("id", pl.col("entity_id") == entity.strip()),
            ("name", pl.col("name").str.to_lowercase() == wanted),
            ("alias", pl.col("aliases").list.eval(pl.element().str.to_lowercase()).list.contains(wanted)),
        ):
            hits = entities.filter(match)
            if hits.height:
                # two entities share the name or alias: the more mentioned one, ties by id
                mentions = pl.col("mention_count") if "mention_count" in hits.columns else pl.lit(0)
                best = hits.sort([mentions, pl.col("entity_id")], descending=[True, False])
                return best["entity_id"][0], how
    hits = store.fulltext_search("entity", entity, k=1)
    return (hits[0].id, "fulltext") if hits else (None, "none")


def entity_neighbourhood(args: EntityNeighbourhoodArgs, ctx: ToolContext) -> dict[str, Any]:
    """Entities within ``hops`` relation steps of the named one, the relations among them and their evidence."""
    store: GraphStore = ctx.need("store", "the graph store")
    entity_id, how = _resolve(args.entity, store, ctx.entities)
    if entity_id is None:
        return {"found": False, "entity": args.entity, "message": f"no entity matches {args.entity!r}"}
    hood = store.neighbourhood([entity_id], hops=args.hops, limit=defaults.NEIGHBOURHOOD_LIMIT)
    names: dict[str, dict[str, Any]] = {}
    if ctx.entities is not None:
        known = ctx.entities.filter(pl.col("entity_id").is_in(hood.entity_ids))
        names = {r["entity_id"]: r for r in known.select("entity_id", "name", "type").iter_rows(named=True)}

    def describe(eid: str) -> dict[str, Any]:
        return names.get(eid, {"entity_id": eid})

    return {
        "found": True,
        "entity": describe(entity_id),
        "resolved_by": how,
        "hops": args.hops,
        "entities": [describe(e) for e in hood.entity_ids],
        "relations": [
            {
                "source": describe(r["source_id"]),
                "type": r["type"],
                "target": describe(r["target_id"]),
                "weight": r.get("weight"),
                "evidence_chunk_ids": list(r.get("evidence_chunk_ids") or []),
            }
            for r in hood.relations
        ],
        "evidence_chunk_ids": list(hood.evidence_chunk_ids),
    }

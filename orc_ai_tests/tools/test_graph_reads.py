"""search_graph and entity_neighbourhood over a real graph the chain's own functions build from a tiny corpus."""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl
import pytest

from orc_ai.embed.embedders import Embedder
from orc_ai.errors import ToolUnavailableError
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.retrieve.models import ContextItem, RetrievalResult
from orc_ai.tools.context import ToolContext
from orc_ai_tests.chain_functions import build_graph

pytestmark = pytest.mark.slow  # loads the packaged embedding model

CORPUS = {
    "runbook.md": "# Orders runbook\n\nThe orders_daily DAG loads orders from the Billing API into the Warehouse.\n"
    "When the load_orders task fails with a ConnectionError, retry once; the Billing API drops connections at "
    "midnight.\nThe Platform Team owns the orders_daily DAG.\n",
    "warehouse.md": "# Warehouse\n\nThe Warehouse runs on Postgres. The Reporting Service reads from the Warehouse "
    "every hour.\nBob Jones leads the Platform Team, which maintains the Warehouse.\n",
    "holidays.md": "# Office holidays\n\nThe office is closed on the first of January. Lunch is served at noon.\n",
}


@dataclass
class Graph:
    store: EmbeddedGraphStore
    documents: pl.DataFrame
    chunks: pl.DataFrame
    entities: pl.DataFrame
    embedder: Embedder


class DenseRetriever:
    """A minimal ``Retriever`` for these tests only: dense chunk search through the store (``orc_ai.retrieve``
    is the real one)."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def retrieve(self, query: str, k: int = 10, token_budget: int | None = None) -> RetrievalResult:
        hits = self.graph.store.vector_search("chunk", self.graph.embedder.embed([query])[0], k=k)
        chunks = self.graph.chunks.join(self.graph.documents.select("doc_id", "name"), on="doc_id")
        rows = {r["chunk_id"]: r for r in chunks.iter_rows(named=True)}
        items = [
            ContextItem(
                chunk_id=h.id,
                doc_id=rows[h.id]["doc_id"],
                doc_name=rows[h.id]["name"],
                text=rows[h.id]["text"],
                score=h.score,
                sources={"dense": rank},
            )
            for rank, h in enumerate(hits, 1)
        ]
        return RetrievalResult(query=query, items=items)


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    root = tmp_path_factory.mktemp("tool_graph")
    (root / "docs").mkdir()
    for name, text in CORPUS.items():
        (root / "docs" / name).write_text(text)
    built = build_graph(root / "docs", root)
    return Graph(built.store, built.raw_docs, built.chunks, built.entities, built.embedder)


def test_search_graph_returns_cited_chunks_best_first(call, graph: Graph) -> None:
    ctx = ToolContext(retriever=DenseRetriever(graph), store=graph.store)
    answer = call("search_graph", {"query": "what to do when load_orders fails with a ConnectionError", "k": 2}, ctx)
    json.dumps(answer)
    assert len(answer["items"]) == 2
    top = answer["items"][0]
    assert top["doc_name"] == "runbook.md" and "retry once" in top["text"]
    assert top["chunk_id"] in graph.chunks["chunk_id"].to_list()
    assert top["sources"] == {"dense": 1} and top["score"] >= answer["items"][1]["score"]


def test_search_graph_without_a_retriever_is_unavailable(call, graph: Graph) -> None:
    with pytest.raises(ToolUnavailableError, match="graph retriever not configured"):
        call("search_graph", {"query": "orders"}, ToolContext(store=graph.store))


def names(items: list[dict]) -> set[str]:
    return {i["name"] for i in items}


def test_neighbourhood_by_name_one_and_two_hops(call, graph: Graph) -> None:
    ctx = ToolContext(store=graph.store, entities=graph.entities)
    one = call("entity_neighbourhood", {"entity": "LOAD_ORDERS"}, ctx)
    json.dumps(one)
    assert one["found"] and one["resolved_by"] == "name" and one["entity"]["name"] == "load_orders"
    assert {"load_orders", "ConnectionError"} <= names(one["entities"])
    (failed_with,) = [r for r in one["relations"] if r["type"] == "FAILED_WITH"]
    assert (failed_with["source"]["name"], failed_with["target"]["name"]) == ("load_orders", "ConnectionError")
    runbook_chunks = set(
        graph.chunks.join(graph.documents, on="doc_id").filter(pl.col("name") == "runbook.md")["chunk_id"]
    )
    assert set(failed_with["evidence_chunk_ids"]) <= runbook_chunks and failed_with["evidence_chunk_ids"]

    two = call("entity_neighbourhood", {"entity": "load_orders", "hops": 2}, ctx)
    assert names(one["entities"]) < names(two["entities"])
    # every entity two steps away is one step from an entity one step away
    first = {e["entity_id"] for e in one["entities"]}
    for added in {e["entity_id"] for e in two["entities"]} - first:
        assert any(
            {r["source"]["entity_id"], r["target"]["entity_id"]} & first
            and added in (r["source"]["entity_id"], r["target"]["entity_id"])
            for r in two["relations"]
        )


def test_neighbourhood_by_id_and_by_alias(call, graph: Graph) -> None:
    loader = graph.entities.filter(pl.col("name") == "load_orders")["entity_id"][0]
    ctx = ToolContext(store=graph.store, entities=graph.entities)
    by_id = call("entity_neighbourhood", {"entity": loader}, ctx)
    assert by_id["resolved_by"] == "id" and by_id["entity"]["entity_id"] == loader
    aliased = graph.entities.with_columns(
        pl.when(pl.col("entity_id") == loader)
        .then(pl.lit(["Orders Loader"]))
        .otherwise(pl.col("aliases"))
        .alias("aliases")
    )
    by_alias = call(
        "entity_neighbourhood", {"entity": "orders loader"}, ToolContext(store=graph.store, entities=aliased)
    )
    assert by_alias["resolved_by"] == "alias" and by_alias["entity"]["entity_id"] == loader
    assert by_alias["entities"] == by_id["entities"]


def test_neighbourhood_without_the_entities_table_resolves_by_full_text(call, graph: Graph) -> None:
    loader = graph.entities.filter(pl.col("name") == "load_orders")["entity_id"][0]
    answer = call("entity_neighbourhood", {"entity": "load_orders"}, ToolContext(store=graph.store))
    assert answer["resolved_by"] == "fulltext" and answer["entity"] == {"entity_id": loader}
    with_names = call(
        "entity_neighbourhood", {"entity": "load_orders"}, ToolContext(store=graph.store, entities=graph.entities)
    )
    assert [e["entity_id"] for e in answer["entities"]] == [e["entity_id"] for e in with_names["entities"]]


def test_an_unknown_entity_is_said_plainly(call, graph: Graph) -> None:
    answer = call(
        "entity_neighbourhood", {"entity": "zebra unicorn"}, ToolContext(store=graph.store, entities=graph.entities)
    )
    assert answer == {"found": False, "entity": "zebra unicorn", "message": "no entity matches 'zebra unicorn'"}
    with pytest.raises(ToolUnavailableError, match="graph store not configured"):
        call("entity_neighbourhood", {"entity": "load_orders"}, ToolContext())

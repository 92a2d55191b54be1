"""The second retrieval round: a first-round chunk's text names another document by title, and round two's
PageRank reaches that document's chunk though no entity joins them."""

from __future__ import annotations

import polars as pl

from orc_ai.retrieve.hops import TitleMentions, second_hop_reset
from orc_ai.retrieve.linking import NameLinker
from orc_ai.retrieve.ppr import PprGraph

TEXTS = {
    "c-song": "Hello Love is a song written and recorded by Hank Snow in 1974.",
    "c-singer": "Clarence Eugene Snow died in Madison, where he had lived since 1950.",
    "c-other": "Madison hosts a yearly song festival.",
}
DOCS = {"c-song": "d-song", "c-singer": "d-singer", "c-other": "d-other"}
TITLES = {"d-song": "Hello Love (song)", "d-singer": "Hank Snow", "d-other": "Festival"}


def _tables() -> tuple[pl.DataFrame, pl.DataFrame]:
    entities = pl.DataFrame(
        {
            "entity_id": ["e-hello", "e-madison", "e-song"],
            "name": ["Hello Love", "Madison", "song"],
            "aliases": [[], [], []],
            "chunk_ids": [["c-song"], ["c-singer", "c-other"], ["c-song", "c-other"]],
        },
        schema_overrides={"aliases": pl.List(pl.String)},
    )
    relations = pl.DataFrame(schema={"source_id": pl.String, "target_id": pl.String})
    return entities, relations


def test_title_mentions_name_other_documents_only() -> None:
    entities, _ = _tables()
    mentions = TitleMentions(NameLinker(entities, TITLES), TEXTS, DOCS)
    assert mentions.docs_named_by("c-song") == ["d-singer"]  # "Hank Snow" is a title; its own title is not counted
    assert mentions.docs_named_by("c-other") == []


def test_round_two_reaches_the_document_the_top_chunk_names() -> None:
    entities, relations = _tables()
    graph = PprGraph(list(TEXTS), entities, relations, relation_edges=True)
    first = graph.seeds({"e-hello": 1.0}, {}, 0.0)
    one_round = dict(graph.rank(first, 0.5, 3))
    assert "c-singer" not in one_round or one_round["c-singer"] < one_round["c-other"]
    mentions = TitleMentions(NameLinker(entities, TITLES), TEXTS, DOCS)
    named = [c for d in mentions.docs_named_by("c-song") for c, doc in DOCS.items() if doc == d]
    second = second_hop_reset(graph, first, ["c-song"], named, passage_seed=1.0, title_seed=1.0)
    ranked = [c for c, _ in graph.rank(second, 0.5, 3)]
    assert ranked.index("c-singer") < ranked.index("c-other")
    assert second.sum() > first.sum()
    assert second_hop_reset(graph, first, [], [], 1.0, 1.0).tolist() == first.tolist()

"""Query → entity and title linking on the small real corpus's entity table."""

from __future__ import annotations

import polars as pl

from orc_ai.retrieve.linking import NameLinker
from orc_ai_tests.retrieve.conftest import Corpus


def _linker(corpus: Corpus) -> tuple[NameLinker, dict[str, str]]:
    titles = dict(corpus.tables.raw_docs.select("doc_id", "title").iter_rows())
    names = dict(corpus.tables.entities.select("entity_id", "name").iter_rows())
    return NameLinker(corpus.tables.entities, titles), names


def test_a_possessive_name_links_to_the_entity_it_names(corpus: Corpus) -> None:
    linker, names = _linker(corpus)
    for question in ("Where is the Kestrel Pipeline's owner based?", "Where is the Kestrel Pipeline’s owner based?"):
        linked = {names[link.entity_id] for link in linker.link(question).entities}
        assert "Kestrel Pipeline" in linked, question


def test_a_name_that_ends_in_s_is_still_linked_as_written() -> None:
    entities = pl.DataFrame(
        {"entity_id": ["e1", "e2"], "name": ["McDonald's", "McDonald"], "aliases": [[], []]},
        schema_overrides={"aliases": pl.List(pl.String)},
    )
    linked = NameLinker(entities, {}).link("When did McDonald's open in Moscow?").entities
    assert [link.entity_id for link in linked] == ["e1"]

"""A second retrieval round (iterative, two-hop): the first round's best chunks and the documents their text
names by title seed a second Personalized PageRank, which finds the bridge passage a question never names."""

from __future__ import annotations

import numpy as np

from orc_ai.retrieve.linking import NameLinker
from orc_ai.retrieve.ppr import PprGraph


class TitleMentions:
    """Documents each chunk's text names by title (Wikipedia-style links), found by the query linker and kept
    once found, so a chunk's text is scanned at most once."""

    def __init__(self, linker: NameLinker, texts: dict[str, str], doc_of: dict[str, str]):
        self._linker, self._texts, self._doc_of = linker, texts, doc_of
        self._found: dict[str, list[str]] = {}

    def docs_named_by(self, chunk_id: str) -> list[str]:
        """Other documents whose title the chunk's text writes."""
        if chunk_id not in self._found:
            own = self._doc_of[chunk_id]
            self._found[chunk_id] = [d for d in self._linker.link(self._texts[chunk_id]).doc_ids if d != own]
        return self._found[chunk_id]


def second_hop_reset(
    graph: PprGraph,
    first_reset: np.ndarray,
    top_chunks: list[str],
    named_chunks: list[str],
    passage_seed: float,
    title_seed: float,
) -> np.ndarray:
    """The first round's reset vector plus ``passage_seed`` spread over the first round's top chunks and
    ``title_seed`` spread over the chunks of the documents those chunks name by title."""
    reset = first_reset.copy()
    for chunks, mass in ((top_chunks, passage_seed), (named_chunks, title_seed)):
        nodes = [graph.chunk_index[c] for c in dict.fromkeys(chunks) if c in graph.chunk_index]
        for node in nodes:
            reset[node] += mass / len(nodes)
    return reset

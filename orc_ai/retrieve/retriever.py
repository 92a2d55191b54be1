"""The retriever: dense, BM25 and entity-seeded Personalized PageRank rankings of chunks, fused by a learned score
over their signals (or weighted reciprocal rank), cut to a token budget, with community summaries for global
questions."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import polars as pl

from orc_ai.cache import ContentCache
from orc_ai.embed.embedders import Embedder
from orc_ai.embed.texts import chunk_embedding_text
from orc_ai.errors import ConfigError
from orc_ai.graph.store import GraphStore
from orc_ai.retrieve.clauses import query_clauses
from orc_ai.retrieve.communities import CommunityIndex
from orc_ai.retrieve.config import COMPONENTS, RetrievalConfig, RetrievalTables
from orc_ai.retrieve.facts import ChunkText, FactIndex
from orc_ai.retrieve.fusion import reciprocal_rank_fusion
from orc_ai.retrieve.hops import TitleMentions, second_hop_reset
from orc_ai.retrieve.learned_fusion import LinearFusion, QuerySignals, candidate_features
from orc_ai.retrieve.lexical import Bm25Index
from orc_ai.retrieve.linking import EntityLink, NameLinker
from orc_ai.retrieve.models import ContextItem, RetrievalResult
from orc_ai.retrieve.ppr import PprGraph


@dataclass(frozen=True)
class _Chunk:
    doc_id: str
    doc_name: str
    text: str
    tokens: int


@dataclass
class _Ranked:
    """One query's rankings, linked entities, step timings and (when every component ran) its signals."""

    rankings: dict[str, list[str]]
    links: list[EntityLink]
    timings: dict[str, float]
    signals: QuerySignals | None = None


def within_budget(items: list[ContextItem], token_budget: int | None) -> list[ContextItem]:
    """Items in rank order whose tokens fit the budget together; an item too large for what is left is skipped
    and smaller, lower-ranked ones may still fill the rest."""
    if token_budget is None:
        return items
    kept, used = [], 0
    for item in items:
        if used + item.tokens <= token_budget:
            kept.append(item)
            used += item.tokens
    return kept


class Retriever:
    """Built once from a store, an embedder and the chain's tables; ``retrieve`` answers one query."""

    def __init__(
        self,
        store: GraphStore,
        embedder: Embedder,
        tables: RetrievalTables,
        config: RetrievalConfig,
        cache: ContentCache | None = None,
    ):
        unknown = set(config.components) - set(COMPONENTS)
        if unknown or not config.components:
            raise ConfigError(f"retrieval components must be a non-empty subset of {COMPONENTS}: {config.components}")
        if config.fusion == "rrf" and not any(config.weights.get(c, 1.0) > 0 for c in config.components):
            raise ConfigError(f"no retrieval component of {config.components} has a positive fusion weight")
        if config.fusion == "learned" and not config.has_every_signal():
            raise ConfigError(
                "learned fusion needs every signal: components dense, bm25 and ppr, hop_top > 0 and fact_top > 0 "
                f"(got {config.components}, hop_top {config.hop_top}, fact_top {config.fact_top}); or fusion 'rrf'"
            )
        self.fusion_model = LinearFusion.load() if config.fusion == "learned" else None
        self.store, self.embedder, self.config = store, embedder, config
        docs = {d: (name, title) for d, name, title in tables.raw_docs.select("doc_id", "name", "title").iter_rows()}
        chunks = tables.chunks.filter(pl.col("doc_id").is_in(list(docs))).sort("chunk_id")
        self.chunks: dict[str, _Chunk] = {}
        index_texts = []
        for chunk_id, doc_id, text, tokens in chunks.select("chunk_id", "doc_id", "text", "n_tokens").iter_rows():
            name, title = docs[doc_id]
            self.chunks[chunk_id] = _Chunk(doc_id, name, text, int(tokens))
            index_texts.append(chunk_embedding_text(title or "", text))
        self.chunk_ids = list(self.chunks)
        self.chunk_rows = {c: i for i, c in enumerate(self.chunk_ids)}
        self.chunk_docs = [chunk.doc_id for chunk in self.chunks.values()]
        self.doc_chunks: dict[str, list[str]] = {}
        for chunk_id, chunk in self.chunks.items():
            self.doc_chunks.setdefault(chunk.doc_id, []).append(chunk_id)
        self.bm25 = Bm25Index(index_texts) if "bm25" in config.components else None
        entities = tables.entities
        self.linker = NameLinker(entities, {d: t for d, (_, t) in docs.items()}) if "ppr" in config.components else None
        self.mentions = (
            TitleMentions(
                self.linker,
                {c: chunk.text for c, chunk in self.chunks.items()},
                {c: chunk.doc_id for c, chunk in self.chunks.items()},
            )
            if self.linker is not None
            else None
        )
        self.graph = (
            PprGraph(self.chunk_ids, entities, tables.relations, config.ppr_relation_edges)
            if "ppr" in config.components
            else None
        )
        self.entity_ids = set(entities["entity_id"].to_list())
        mentions: list[set[str]] = [set() for _ in self.chunk_ids]
        for entity_id, chunk_ids in entities.select("entity_id", "chunk_ids").iter_rows():
            for chunk_id in chunk_ids or []:
                if chunk_id in self.chunk_rows:
                    mentions[self.chunk_rows[chunk_id]].add(entity_id)
        self.chunk_entities = [frozenset(m) for m in mentions]
        self.facts = self._fact_index(entities, docs, embedder, cache) if self.graph and config.fact_top > 0 else None
        self.sentence_rows = self.facts.sentence_rows(self.chunk_rows) if self.facts is not None else None
        self.community_index = CommunityIndex(tables.communities) if config.communities > 0 else None

    @classmethod
    def build(
        cls,
        store: GraphStore,
        embedder: Embedder,
        tables: RetrievalTables,
        config: RetrievalConfig | None = None,
        cache: ContentCache | None = None,
    ) -> Retriever:
        """Precompute the BM25 index, the entity linker, the PageRank graph and the sentence vectors once (through
        ``cache`` when given, so a sentence embedded before is not embedded again)."""
        return cls(store, embedder, tables, config or RetrievalConfig(), cache)

    def _fact_index(
        self, entities: pl.DataFrame, docs: dict[str, tuple[str, str]], embedder: Embedder, cache: ContentCache | None
    ) -> FactIndex:
        names = dict(entities.select("entity_id", "name").iter_rows())
        texts = {
            c: ChunkText(docs[chunk.doc_id][1] or "", chunk.text, [(e, names[e]) for e in self.chunk_entities[row]])
            for row, (c, chunk) in enumerate(self.chunks.items())
        }
        return FactIndex.build(texts, embedder, cache)

    def _link(
        self, query: str, vector: np.ndarray, sentence_scores: np.ndarray | None
    ) -> tuple[list[EntityLink], list[str]]:
        named = self.linker.link(query)
        links = {link.entity_id: link for link in named.entities}
        if sentence_scores is not None:  # entities named by the sentences nearest the query (a name link wins)
            for entity_id in self.facts.seed_entities(vector, self.config.fact_top, sentence_scores):
                links.setdefault(entity_id, EntityLink(entity_id, self.config.fact_seed, "fact"))
        if self.config.link_vector_entities > 0:
            for hit in self.store.vector_search("entity", vector, k=self.config.link_vector_entities):
                if hit.score >= self.config.link_min_cosine and hit.id in self.entity_ids:
                    links.setdefault(hit.id, EntityLink(hit.id, hit.score, "vector"))
        return sorted(links.values(), key=lambda link: link.entity_id), named.doc_ids

    def rankings(self, query: str) -> tuple[dict[str, list[str]], list[EntityLink], dict[str, float]]:
        """Each enabled component's ranked chunk ids, the linked entities and per-step milliseconds."""
        ranked = self._rank(query)
        return ranked.rankings, ranked.links, ranked.timings

    def _rank(self, query: str) -> _Ranked:
        timings: dict[str, float] = {}
        clock = time.perf_counter()

        def lap(name: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            timings[name] = round((now - clock) * 1000, 3)
            clock = now

        components, n = self.config.components, self.config.candidates
        every_signal = self.facts is not None and self.config.has_every_signal()
        clauses = query_clauses(query) if every_signal else []
        vectors = self.embedder.embed([query, *clauses])  # one batch: the query and its clauses
        vector = vectors[0]
        lap("embed")
        rankings: dict[str, list[str]] = {}
        dense_scores: dict[str, float] = {}
        bm25_scores: dict[int, float] = {}
        hits = []
        if "dense" in components or "ppr" in components:
            hits = [h for h in self.store.vector_search("chunk", vector, k=n) if h.id in self.chunks]
            dense_scores = {h.id: h.score for h in hits}
            if "dense" in components:
                rankings["dense"] = [h.id for h in hits]
            lap("dense")
        if self.bm25 is not None:
            bm25_scores = dict(self.bm25.search(query, n))
            rankings["bm25"] = [self.chunk_ids[i] for i in bm25_scores]
            lap("bm25")
        if self.graph is None:
            return _Ranked(rankings, [], timings)
        sentence_scores = self.facts.scores(vector) if self.facts is not None else None
        links, doc_ids = self._link(query, vector, sentence_scores)
        lap("link")
        titled = [c for d in doc_ids for c in self.doc_chunks.get(d, [])]
        if self.config.ppr_passage_seeds == "hybrid" and "bm25" in rankings:
            passage_scores = {
                c: score
                for c, score, _ in reciprocal_rank_fusion(
                    {"dense": [h.id for h in hits], "bm25": rankings["bm25"]}, k=self.config.rrf_k
                )
            }
        else:
            passage_scores = dense_scores
        reset = self.graph.seeds(
            {link.entity_id: link.score for link in links},
            passage_scores,
            self.config.ppr_passage_seed,
            {c: self.config.ppr_title_seed for c in titled},
        )
        mass = self.graph.mass(reset, self.config.ppr_damping, self.config.ppr_tolerance)
        rankings["ppr"] = [c for c, _ in self.graph.top(mass, n)]
        lap("ppr")
        if self.config.hop_top <= 0:
            return _Ranked(rankings, links, timings)
        top = rankings["ppr"][: self.config.hop_top]
        named_docs = [d for t in top for d in self.mentions.docs_named_by(t)]
        named = [c for d in named_docs for c in self.doc_chunks.get(d, [])]
        reset2 = second_hop_reset(
            self.graph, reset, top, named, self.config.hop_passage_seed, self.config.hop_title_seed
        )
        mass2 = self.graph.mass(reset2, self.config.ppr_damping, self.config.ppr_tolerance)
        rankings["hop2"] = [c for c, _ in self.graph.top(mass2, n)]
        lap("hop2")
        signals = None
        if every_signal:
            sentence_best = self.facts.best_per_chunk(sentence_scores, self.sentence_rows, len(self.chunk_ids))
            signals = QuerySignals(
                ppr_mass=mass,
                hop2_mass=mass2,
                dense={self.chunk_rows[c]: score for c, score in dense_scores.items()},
                sentence_best=sentence_best,
                clause_gap=self._clause_gap(vectors[1:], sentence_best),
                bm25=bm25_scores,
                titled_docs=frozenset(doc_ids),
                named_docs=frozenset(named_docs),
                linked_entities=frozenset(link.entity_id for link in links),
            )
        return _Ranked(rankings, links, timings, signals)

    def _clause_gap(self, clause_vectors: np.ndarray, sentence_best: np.ndarray) -> np.ndarray:
        """Per chunk, the best over the query's clauses of its best sentence cosine minus the clause's best (the
        whole query's when it has no clauses)."""
        if not sentence_best.size:
            return sentence_best
        if not len(clause_vectors):
            return sentence_best - sentence_best.max()
        gaps = []
        for clause in clause_vectors:
            best = self.facts.best_per_chunk(self.facts.scores(clause), self.sentence_rows, len(self.chunk_ids))
            gaps.append(best - best.max())
        return np.max(gaps, axis=0)

    def features(self, query: str) -> tuple[list[str], np.ndarray, dict[str, dict[str, int]]]:
        """The candidate chunks of ``query`` (every ranking's, first met first), their learned-fusion features
        and each one's component ranks; a config error unless every signal is computed."""
        if not self.config.has_every_signal():
            raise ConfigError("features need components dense, bm25 and ppr, hop_top > 0 and fact_top > 0")
        return self._features(self._rank(query))

    def _features(self, ranked: _Ranked) -> tuple[list[str], np.ndarray, dict[str, dict[str, int]]]:
        ranks: dict[str, dict[str, int]] = {}
        for component, ids in ranked.rankings.items():
            for rank, chunk_id in enumerate(ids, start=1):
                ranks.setdefault(chunk_id, {})[component] = rank
        candidates = list(ranks)
        rows = [self.chunk_rows[c] for c in candidates]
        return candidates, candidate_features(rows, ranked.signals, self.chunk_docs, self.chunk_entities), ranks

    def _fuse(self, ranked: _Ranked) -> list[tuple[str, float, dict[str, int]]]:
        """(chunk id, score, component ranks) best first: the learned score, or reciprocal-rank fusion."""
        if self.fusion_model is None:
            fused = reciprocal_rank_fusion(ranked.rankings, self.config.weights, self.config.rrf_k)
            return [f for f in fused if f[1] > 0]
        candidates, features, ranks = self._features(ranked)
        scores = self.fusion_model.score(features)
        order = sorted(range(len(candidates)), key=lambda i: (-scores[i], candidates[i]))
        return [(candidates[i], float(scores[i]), ranks[candidates[i]]) for i in order]

    def _item(self, chunk_id: str, score: float, ranks: dict[str, int]) -> ContextItem:
        chunk = self.chunks[chunk_id]
        return ContextItem(
            chunk_id=chunk_id,
            doc_id=chunk.doc_id,
            doc_name=chunk.doc_name,
            text=chunk.text,
            score=score,
            tokens=chunk.tokens,
            sources=ranks,
        )

    def retrieve(self, query: str, k: int = 10, token_budget: int | None = None) -> RetrievalResult:
        """The ``k`` best chunks for ``query`` (fewer if the token budget is spent), each naming its document."""
        start = time.perf_counter()
        ranked = self._rank(query)
        fused = self._fuse(ranked)
        timings, links = ranked.timings, ranked.links
        items = [self._item(*entry) for entry in fused[:k]]
        if token_budget is not None:  # an item that does not fit leaves room for lower-ranked smaller ones
            items = within_budget([self._item(*entry) for entry in fused], token_budget)[:k]
        communities = []
        if self.community_index is not None:
            linked = {link.entity_id for link in links}
            communities = self.community_index.search(query, linked, self.config.communities)
        timings["total"] = round((time.perf_counter() - start) * 1000, 3)
        return RetrievalResult(
            query=query,
            items=items,
            communities=communities,
            linked_entity_ids=[link.entity_id for link in links],
            timings_ms=timings,
        )

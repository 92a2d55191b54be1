"""Offline extractor: typed entity mentions from patterns, typed relations from operations phrasing, and
CO_OCCURS for other pairs named in the same clause.

GraphRAG's "fast" indexing without a model: named things per chunk, linked where the text says how
(``relation_patterns``), otherwise by co-occurrence in one clause (weighted later by PMI over the corpus).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

from orc_ai.extract.clauses import clause_spans
from orc_ai.extract.entity_patterns import Mention, find_mentions
from orc_ai.extract.junk import is_junk, lowercase_words
from orc_ai.extract.models import ChunkExtraction, ExtractedEntity, ExtractedRelation
from orc_ai.extract.names import clean_name, name_key
from orc_ai.extract.relation_patterns import typed_relations
from orc_ai.extract.vocabulary import CO_OCCURS

RULES_VERSION = "nlp-v3"
GENERIC = ("Concept", "Identifier")
# in one clause, two typed names co-occur up to 6 mentions apart; an untyped name only with its neighbours
CO_OCCURRENCE_WINDOW = (6, 1, 1)


def _entity_types(mentions: list[Mention]) -> dict[str, tuple[str, str, int]]:
    """key -> (surface name, type, mention count); a specific type beats a generic one, then the majority."""
    types: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        key = name_key(m.name)
        types[key][m.type] += 1
        names[key][clean_name(m.name)] += 1
    out = {}
    for key, counter in types.items():
        pool = [(n, t) for t, n in counter.items() if t not in GENERIC] or [(n, t) for t, n in counter.items()]
        type_ = min(pool, key=lambda nt: (-nt[0], nt[1]))[1]
        name = min(names[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        out[key] = (name, type_, sum(counter.values()))
    return out


class NlpExtractor:
    """Deterministic, offline entity and relation extractor (no model, no network)."""

    def __init__(self, max_entities_per_chunk: int = 40):
        self.max_entities_per_chunk = max_entities_per_chunk

    @property
    def extractor_id(self) -> str:
        return f"{RULES_VERSION}:max{self.max_entities_per_chunk}"

    def extract(self, text: str) -> ChunkExtraction:
        """Typed entities and relations of one chunk; untyped pairs in one clause become CO_OCCURS."""
        common = lowercase_words(text)
        mentions = [m for m in find_mentions(text) if not is_junk(m.name, m.type, common)]
        entities = _entity_types(mentions)
        ranked = sorted(entities, key=lambda k: (entities[k][1] in GENERIC, -entities[k][2], k))
        kept = set(ranked[: self.max_entities_per_chunk])
        mentions = [m for m in mentions if name_key(m.name) in kept]

        def name_of(m: Mention) -> str:
            return entities[name_key(m.name)][0]

        relations: dict[tuple[str, str, str], ExtractedRelation] = {}
        linked: set[frozenset[str]] = set()
        for source, type_, target in typed_relations(text, mentions):
            s, t = name_of(source), name_of(target)
            if name_key(s) != name_key(t):
                relations[(s, type_, t)] = ExtractedRelation(source=s, target=t, type=type_)
                linked.add(frozenset((name_key(s), name_key(t))))
        for start, end in clause_spans(text):
            inside = [m for m in mentions if start <= m.start and m.end <= end]
            for i, j in combinations(range(len(inside)), 2):
                untyped = sum(entities[name_key(inside[k].name)][1] in GENERIC for k in (i, j))
                if j - i > CO_OCCURRENCE_WINDOW[untyped]:
                    continue
                a, b = sorted((name_of(inside[i]), name_of(inside[j])), key=name_key)
                if name_key(a) != name_key(b) and frozenset((name_key(a), name_key(b))) not in linked:
                    relations.setdefault((a, CO_OCCURS, b), ExtractedRelation(source=a, target=b, type=CO_OCCURS))
        return ChunkExtraction(
            entities=[ExtractedEntity(name=entities[k][0], type=entities[k][1]) for k in ranked if k in kept],
            relations=list(relations.values()),
        )

"""Entity resolution: merge mentions by normalised name, then fuzzy-merge near duplicates into canonical entities."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import numpy as np
import polars as pl

from orc_ai.extract.models import ChunkExtraction
from orc_ai.extract.names import name_key
from orc_ai.extract.vocabulary import CO_OCCURS
from orc_ai.hashing import stable_hash

GENERIC_TYPES = ("Concept", "Identifier")
# identifiers (DAG ids, task ids, tables, topics) are exact names: never fuzzy-merged
FUZZY_TYPES = ("Person", "Team", "System", "Concept", "Organization", "Error")
_NUMERAL = re.compile(r"^(?:\d+|[ivxlcdm]+)$")


class _UnionFind:
    def __init__(self, items: list[str]):
        self.parent = {i: i for i in items}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _numerals(key: str) -> set[str]:
    return {t for t in key.split() if _NUMERAL.match(t)}


def fuzzy_groups(keys_by_type: dict[str, list[str]], threshold: float) -> dict[str, str]:
    """Map each key to a representative key; near-identical keys of a fuzzy type share one.

    Keys are blocked by type and first two characters; keys with different numbers or roman numerals
    ('Henry II' / 'Henry III') are never merged.
    """
    from rapidfuzz import fuzz, process

    all_keys = sorted({k for keys in keys_by_type.values() for k in keys})
    uf = _UnionFind(all_keys)
    for type_, keys in keys_by_type.items():
        if type_ not in FUZZY_TYPES:
            continue
        blocks: dict[str, list[str]] = defaultdict(list)
        for key in sorted(set(keys)):
            if len(key) >= 6:
                blocks[key[:2]].append(key)
        for block in blocks.values():
            if len(block) < 2:
                continue
            scores = process.cdist(block, block, scorer=fuzz.ratio, score_cutoff=threshold, workers=1)
            for i, j in zip(*np.nonzero(scores), strict=True):
                if i < j and _numerals(block[i]) == _numerals(block[j]):
                    uf.union(block[i], block[j])
    return {k: uf.find(k) for k in all_keys}


def resolve_entities(
    results: dict[str, ChunkExtraction], chunk_docs: dict[str, str], fuzzy_threshold: float = 92.0
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Canonical ``entities`` and aggregated ``relations`` tables from per-chunk extractions.

    ``chunk_docs`` maps chunk id to doc id. Output is sorted and independent of input order, so an
    incremental run and a full rebuild give identical tables.
    """
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    types: dict[str, Counter[str]] = defaultdict(Counter)
    descriptions: dict[str, set[str]] = defaultdict(set)
    chunks_of: dict[str, set[str]] = defaultdict(set)
    for chunk_id, result in results.items():
        for entity in result.entities:
            key = name_key(entity.name)
            surface[key][entity.name] += 1
            types[key][entity.type] += 1
            chunks_of[key].add(chunk_id)
            if entity.description:
                descriptions[key].add(entity.description)

    def best_type(counter: Counter[str]) -> str:
        specific = [(n, t) for t, n in counter.items() if t not in GENERIC_TYPES]
        pool = specific or [(n, t) for t, n in counter.items()]
        return min(pool, key=lambda nt: (-nt[0], nt[1]))[1]

    key_type = {key: best_type(counter) for key, counter in types.items()}
    keys_by_type: dict[str, list[str]] = defaultdict(list)
    for key, type_ in key_type.items():
        keys_by_type[type_].append(key)
    group_of = fuzzy_groups(keys_by_type, fuzzy_threshold)

    members: dict[str, list[str]] = defaultdict(list)
    for key, rep in group_of.items():
        members[rep].append(key)
    canonical_of: dict[str, str] = {}
    rows = []
    for rep, keys in members.items():
        names: Counter[str] = Counter()
        type_counts: Counter[str] = Counter()
        chunk_ids: set[str] = set()
        for key in keys:
            names.update(surface[key])
            type_counts.update(types[key])
            chunk_ids |= chunks_of[key]
        name = min(names.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]
        entity_id = stable_hash("entity", rep)
        for key in keys:
            canonical_of[key] = entity_id
        desc = sorted(d for key in keys for d in descriptions[key])
        rows.append(
            {
                "entity_id": entity_id,
                "name": name,
                "type": best_type(type_counts),
                "aliases": sorted(set(names) - {name}),
                "description": " ".join(desc[:5]),
                "mention_count": sum(names.values()),
                "chunk_ids": sorted(chunk_ids),
                "doc_count": len({chunk_docs[c] for c in chunk_ids}),
            }
        )
    entity_schema = {
        "entity_id": pl.String,
        "name": pl.String,
        "type": pl.String,
        "aliases": pl.List(pl.String),
        "description": pl.String,
        "mention_count": pl.Int64,
        "chunk_ids": pl.List(pl.String),
        "doc_count": pl.Int64,
    }
    entities = pl.DataFrame({k: [r[k] for r in rows] for k in entity_schema}, schema=entity_schema).sort("entity_id")
    return entities, _aggregate_relations(results, canonical_of, entities)


def _aggregate_relations(
    results: dict[str, ChunkExtraction], canonical_of: dict[str, str], entities: pl.DataFrame
) -> pl.DataFrame:
    columns: dict[str, list] = {
        "chunk_id": [],
        "source_id": [],
        "target_id": [],
        "type": [],
        "strength": [],
        "description": [],
    }
    for chunk_id, result in results.items():
        for rel in result.relations:
            columns["chunk_id"].append(chunk_id)
            columns["source_id"].append(canonical_of[name_key(rel.source)])
            columns["target_id"].append(canonical_of[name_key(rel.target)])
            columns["type"].append(rel.type)
            columns["strength"].append(rel.strength)
            columns["description"].append(rel.description)
    flat = pl.DataFrame(
        columns,
        schema={
            "chunk_id": pl.String,
            "source_id": pl.String,
            "target_id": pl.String,
            "type": pl.String,
            "strength": pl.Float64,
            "description": pl.String,
        },
    )
    undirected = pl.col("type") == CO_OCCURS
    flat = flat.filter(pl.col("source_id") != pl.col("target_id")).with_columns(
        pl.when(undirected).then(pl.min_horizontal("source_id", "target_id")).otherwise("source_id").alias("s"),
        pl.when(undirected).then(pl.max_horizontal("source_id", "target_id")).otherwise("target_id").alias("t"),
    )
    edges = flat.group_by(pl.col("s").alias("source_id"), pl.col("t").alias("target_id"), "type").agg(
        pl.len().alias("cooccurrences"),
        (pl.col("strength").sum() / pl.len()).alias("strength"),
        pl.col("chunk_id").unique().sort().alias("evidence_chunk_ids"),
        pl.col("description")
        .filter(pl.col("description") != "")
        .unique()
        .sort()
        .head(5)
        .str.join(" ")
        .alias("description"),
    )
    # GraphRAG fast-mode weighting: edge probability times its pointwise mutual information
    mentions = entities.select("entity_id", "mention_count")
    total_mentions = max(int(mentions["mention_count"].sum() or 0), 1)
    total_edges = max(int(edges["cooccurrences"].sum() or 0), 1)
    p_edge = pl.col("cooccurrences") / total_edges
    edges = (
        edges.join(mentions.rename({"entity_id": "source_id", "mention_count": "m_s"}), on="source_id")
        .join(mentions.rename({"entity_id": "target_id", "mention_count": "m_t"}), on="target_id")
        .with_columns(
            (p_edge * (p_edge / ((pl.col("m_s") / total_mentions) * (pl.col("m_t") / total_mentions))).log(2)).alias(
                "weight"
            )
        )
    )
    relation_ids = [
        stable_hash("relation", s, t, ty) for s, t, ty in edges.select("source_id", "target_id", "type").iter_rows()
    ]
    return (
        edges.with_columns(pl.Series("relation_id", relation_ids, dtype=pl.String))
        .select(
            "relation_id",
            "source_id",
            "target_id",
            "type",
            "description",
            pl.col("cooccurrences").cast(pl.Int64),
            "weight",
            "strength",
            "evidence_chunk_ids",
        )
        .sort("relation_id")
    )

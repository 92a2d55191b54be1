"""Small, real pipeline tables for the graph-store tests, and the upstream changes a re-run meets."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np
import polars as pl

from orc_ai.graph.loading import load_graph

Tables = dict[str, pl.DataFrame]
DIM = 8
TYPES = ["System", "Team", "Person", "System", "Team", "System", "Incident", "Person", "System"]


def vector(key: str, dim: int = DIM) -> list[float]:
    """A unit vector seeded by ``key``: the same id gets the same vector in every table built here."""
    seed = int(hashlib.sha1(key.encode()).hexdigest()[:8], 16)
    v = np.random.default_rng(seed).normal(size=dim)
    return (v / np.linalg.norm(v)).astype(np.float32).tolist()


def _hex(prefix: int, i: int) -> str:
    return f"{prefix:04x}{i:012x}"


def _chunks_of(doc_id: str, texts: list[str], version: str = "") -> list[dict]:
    start = 0
    rows = []
    for index, text in enumerate(texts):
        chunk_id = hashlib.sha1(f"{doc_id}|{index}|{text}|{version}".encode()).hexdigest()[:16]
        rows.append(
            {
                "chunk_id": chunk_id,
                "doc_id": doc_id,
                "chunk_index": index,
                "text": text,
                "start_char": start,
                "end_char": start + len(text),
                "n_tokens": len(text.split()),
                "content_hash": hashlib.sha1(text.encode()).hexdigest()[:16],
            }
        )
        start += len(text) + 1
    return rows


def base_tables() -> Tables:
    """Three documents (4, 3 and 2 chunks), nine typed entities mentioned in 1-3 chunks, a dozen relations."""
    texts = {
        "d1": ["alpha service pages the on call team", "alpha depends on beta", "beta runs nightly", "gamma"],
        "d2": ["the platform team owns beta", "incident 42 hit alpha", "alice fixed it"],
        "d3": ["bob leads the platform team", "delta feeds gamma"],
    }
    documents = pl.DataFrame(
        {
            "doc_id": list(texts),
            "name": [f"{d}.md" for d in texts],
            "title": ["Alpha", "Platform", None],
            "source_path": [f"docs/{d}.md" for d in texts],
            "format": ["md", "md", "txt"],
            "content_hash": [hashlib.sha1(" ".join(t).encode()).hexdigest()[:16] for t in texts.values()],
        }
    )
    chunks = pl.DataFrame([row for d, t in texts.items() for row in _chunks_of(d, t)])
    chunk_ids = chunks["chunk_id"].to_list()
    entity_ids = [_hex(1, i) for i in range(len(TYPES))]
    mentions = [[chunk_ids[(i + k * 4) % len(chunk_ids)] for k in range(1 + i % 3)] for i in range(len(TYPES))]
    entities = pl.DataFrame(
        {
            "entity_id": entity_ids,
            "name": [f"entity {i}" for i in range(len(TYPES))],
            "type": TYPES,
            "aliases": [[f"alias {i}"] if i % 2 else [] for i in range(len(TYPES))],
            "description": [f"description {i}" if i % 4 else None for i in range(len(TYPES))],
            "mention_count": [len(m) for m in mentions],
            "chunk_ids": [sorted(set(m)) for m in mentions],
            "doc_count": [1] * len(TYPES),
        }
    )
    pairs = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (0, 8), (1, 5), (2, 6), (3, 7)]
    relations = pl.DataFrame(
        {
            "relation_id": [_hex(2, k) for k in range(len(pairs))],
            "source_id": [entity_ids[a] for a, _ in pairs],
            "target_id": [entity_ids[b] for _, b in pairs],
            "type": ["CO_OCCURS" if k % 3 else "DEPENDS_ON" for k in range(len(pairs))],
            "description": ["" if k % 2 else f"relation {k}" for k in range(len(pairs))],
            "cooccurrences": [1 + k % 3 for k in range(len(pairs))],
            "weight": [0.5 + k / 10 for k in range(len(pairs))],
            "strength": [1.0] * len(pairs),
            "evidence_chunk_ids": [[chunk_ids[a % len(chunk_ids)]] for a, _ in pairs],
        }
    )
    return with_embeddings({"documents": documents, "chunks": chunks, "entities": entities, "relations": relations})


def with_embeddings(tables: Tables, dim: int = DIM) -> Tables:
    """``tables`` with an ``embeddings`` table for its chunks and entities (vectors seeded by id)."""
    ids = [("chunk", c) for c in tables["chunks"]["chunk_id"]] + [
        ("entity", e) for e in tables["entities"]["entity_id"]
    ]
    embeddings = pl.DataFrame(
        {
            "id": [i for _, i in ids],
            "kind": [k for k, _ in ids],
            "model": ["test"] * len(ids),
            "vector": [vector(i, dim) for _, i in ids],
        }
    ).with_columns(pl.col("vector").cast(pl.Array(pl.Float32, dim)))
    return {**tables, "embeddings": embeddings}


def communities_of(tables: Tables) -> pl.DataFrame:
    """A two-level community table over ``tables``' entities: one community per type, split in two below it."""
    entities = tables["entities"].sort("entity_id")
    rows = []
    for (type_,), group in entities.group_by("type", maintain_order=True):
        members = group["entity_id"].to_list()
        top = hashlib.sha1(("|".join(members)).encode()).hexdigest()[:16]
        rows.append({"community_id": top, "level": 0, "parent_id": None, "entity_ids": members, "title": type_})
        for half in (members[::2], members[1::2]):
            if half and len(half) < len(members):
                cid = hashlib.sha1(("|".join(half) + "/1").encode()).hexdigest()[:16]
                rows.append({"community_id": cid, "level": 1, "parent_id": top, "entity_ids": half, "title": None})
    frame = pl.DataFrame(rows, schema_overrides={"parent_id": pl.String, "title": pl.String})
    return frame.with_columns(
        pl.col("entity_ids").list.len().alias("size"),
        pl.format("summary of {}", "community_id").alias("summary"),
        pl.lit("heuristic").alias("summary_source"),
    )


def _drop_chunks(tables: Tables, gone: set[str]) -> Tables:
    """Without the chunks ``gone``: entities keep their other mentions, entities left without any go."""
    entities = tables["entities"].with_columns(pl.col("chunk_ids").list.set_difference(list(gone)))
    entities = entities.filter(pl.col("chunk_ids").list.len() > 0)
    return _keep_entities({**tables, "chunks": tables["chunks"].filter(~pl.col("chunk_id").is_in(gone))}, entities)


def _keep_entities(tables: Tables, entities: pl.DataFrame) -> Tables:
    ids = entities["entity_id"].implode()
    relations = tables["relations"].filter(pl.col("source_id").is_in(ids) & pl.col("target_id").is_in(ids))
    return with_embeddings({**tables, "entities": entities, "relations": relations})


def config_change(tables: Tables) -> Tables:
    """Another extraction (e.g. fewer entities per chunk): each entity keeps one mention, some lose properties."""
    entities = tables["entities"].with_columns(
        pl.col("chunk_ids").list.head(1),
        pl.lit(1).alias("mention_count"),
        pl.when(pl.col("entity_id").str.ends_with("3"))
        .then(None)
        .otherwise(pl.col("description"))
        .alias("description"),
    )
    relations = tables["relations"].filter(pl.col("type") == "CO_OCCURS").with_columns(pl.col("weight") * 2)
    return with_embeddings({**tables, "entities": entities.head(7), "relations": relations})


def removed_document(tables: Tables) -> Tables:
    gone = set(tables["chunks"].filter(pl.col("doc_id") == "d2")["chunk_id"].to_list())
    out = _drop_chunks(tables, gone)
    return {**out, "documents": out["documents"].filter(pl.col("doc_id") != "d2")}


def changed_document(tables: Tables) -> Tables:
    """d1's text changed: new content hash, new chunk ids (one chunk fewer); its entities now cite the new chunks."""
    old = tables["chunks"].filter(pl.col("doc_id") == "d1")["chunk_id"].to_list()
    new = pl.DataFrame(_chunks_of("d1", ["alpha service pages the team", "alpha depends on beta and gamma"], "v2"))
    remap = {o: new["chunk_id"][min(i, new.height - 1)] for i, o in enumerate(old)}
    entities = tables["entities"].with_columns(
        pl.col("chunk_ids").list.eval(pl.element().replace(remap)).list.unique().list.sort()
    )
    chunks = pl.concat([tables["chunks"].filter(pl.col("doc_id") != "d1"), new])
    documents = tables["documents"].with_columns(
        pl.when(pl.col("doc_id") == "d1").then(pl.lit("changed")).otherwise("content_hash").alias("content_hash")
    )
    return with_embeddings({**tables, "documents": documents, "chunks": chunks, "entities": entities})


def removed_entity_type(tables: Tables) -> Tables:
    return _keep_entities(tables, tables["entities"].filter(pl.col("type") != "Team"))


def changed_entity_types(tables: Tables) -> Tables:
    """Entities change type: to another type, to a new one, and to a core label."""
    new_types = {0: "Team", 1: "Organisation", 2: "Community", 4: "Document"}
    ids = tables["entities"]["entity_id"].to_list()
    mapping = {ids[i]: t for i, t in new_types.items()}
    entities = tables["entities"].with_columns(
        pl.col("entity_id").replace_strict(mapping, default=pl.col("type")).alias("type")
    )
    return {**tables, "entities": entities}


def reordered_chunks(tables: Tables) -> Tables:
    """Chunk rows that keep their ids but not their place: d1's second chunk is gone (its neighbours are now
    consecutive) and d3's first chunk moved to the end of d2 (another document)."""
    chunks = tables["chunks"]
    d1 = chunks.filter(pl.col("doc_id") == "d1")["chunk_id"].to_list()
    moved = chunks.filter(pl.col("doc_id") == "d3")["chunk_id"][0]
    out = _drop_chunks(tables, {d1[1]})
    chunks = out["chunks"].with_columns(
        pl.when(pl.col("chunk_id") == moved).then(pl.lit("d2")).otherwise("doc_id").alias("doc_id"),
        pl.when(pl.col("chunk_id") == moved).then(pl.lit(9)).otherwise("chunk_index").alias("chunk_index"),
    )
    return {**out, "chunks": chunks}


def moved_relation(tables: Tables) -> Tables:
    """A relation id that now joins other entities, and one that has another type."""
    relations = tables["relations"]
    ids = tables["entities"]["entity_id"].to_list()
    first, second = relations["relation_id"][0], relations["relation_id"][1]
    relations = relations.with_columns(
        pl.when(pl.col("relation_id") == first).then(pl.lit(ids[8])).otherwise("target_id").alias("target_id"),
        pl.when(pl.col("relation_id") == second).then(pl.lit("PART_OF")).otherwise("type").alias("type"),
    )
    return {**tables, "relations": relations}


SCENARIOS: dict[str, Callable[[Tables], Tables]] = {
    "config_change": config_change,
    "removed_document": removed_document,
    "changed_document": changed_document,
    "removed_entity_type": removed_entity_type,
    "changed_entity_types": changed_entity_types,
    "reordered_chunks": reordered_chunks,
    "moved_relation": moved_relation,
}


def load(store, tables: Tables, communities: bool = True):
    """``load_graph`` of ``tables``, then their communities (as the chain does)."""
    stats, pruned = load_graph(
        store, tables["documents"], tables["chunks"], tables["entities"], tables["relations"], tables["embeddings"]
    )
    if communities:
        store.write_communities(communities_of(tables))
    return stats, pruned

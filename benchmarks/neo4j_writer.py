"""Write throughput into Neo4j 5.26: ORC AI's batched writer vs a per-row MERGE loop vs neo4j-graphrag's Neo4jWriter.

The graph is the chain's output on the 2Wiki corpus (entities + relations, >= 100k relationships), read from the
parquet tables of a finished run (benchmarks/pipeline_2wiki.py --out DIR leaves them in DIR/home_full/assets).
Every writer gets the same graph, properties included (no chunks, so no MENTIONS links), and an empty database;
rate = (nodes + relationships) / second.

Setup (a small venv: the benchmark does not need torch):
  uv venv .cache/venvs/neo4j-bench && uv pip install -p .cache/venvs/neo4j-bench neo4j neo4j-rust-ext polars \\
      numpy pydantic usearch neo4j-graphrag==1.22.0 && uv pip install -p .cache/venvs/neo4j-bench --no-deps -e .
Run (it starts its own server, scripts/neo4j-server, on an empty data directory; about 15 minutes):
  .cache/venvs/neo4j-bench/bin/python benchmarks/neo4j_writer.py --assets DIR/home_full/assets
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl
from neo4j import GraphDatabase

from orc_ai.graph.neo4j_store import Neo4jGraphStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test server helper lives with the tests
from orc_ai_tests.neo4j_server import Neo4jServer  # noqa: E402

NAIVE_SAMPLE = 3000  # rows per kind for the per-row loop (the full graph would take hours)
ENTITY_PROPERTIES = ["name", "type", "aliases", "aliases_text", "description", "mention_count", "doc_count"]
RELATION_PROPERTIES = ["relation_id", "description", "cooccurrences", "weight", "strength", "evidence_chunk_ids"]


def wipe(driver) -> None:
    with driver.session() as session:
        while session.run("MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS n").single()["n"]:
            pass
        for record in session.run("SHOW CONSTRAINTS YIELD name RETURN name").data():
            session.run(f"DROP CONSTRAINT `{record['name']}` IF EXISTS").consume()
        for record in session.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name").data():
            session.run(f"DROP INDEX `{record['name']}` IF EXISTS").consume()


def count(driver) -> tuple[int, int]:
    with driver.session() as session:
        nodes = session.run("MATCH (n) RETURN count(n) AS n").single()["n"]
        rels = session.run("MATCH ()-[r]->() RETURN count(r) AS n").single()["n"]
    return nodes, rels


def outcome(driver, seconds: float) -> dict:
    """Seconds, what the database now holds, and the write rate."""
    nodes, rels = count(driver)
    return {"s": round(seconds, 1), "nodes": nodes, "rels": rels, "per_s": round((nodes + rels) / seconds)}


def ours(driver, entities: pl.DataFrame, relations: pl.DataFrame, batch_size: int, sessions: int) -> float:
    store = Neo4jGraphStore(driver, batch_size=batch_size, write_concurrency=sessions)
    store.ensure_schema()
    start = time.perf_counter()
    store.upsert_entities(entities)
    store.upsert_relations(relations)
    return time.perf_counter() - start


def naive(driver, entities: pl.DataFrame, relations: pl.DataFrame) -> float:
    """One auto-commit MERGE per row, what a first implementation often looks like."""
    with driver.session() as session:
        session.run("CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.entity_id IS UNIQUE").consume()
        start = time.perf_counter()
        for row in entities.iter_rows(named=True):
            session.run(
                "MERGE (e:Entity {entity_id: $id}) SET e += $properties, e.embedding = $vector",
                id=row["entity_id"],
                properties={key: row[key] for key in ENTITY_PROPERTIES},
                vector=list(row["vector"]),
            ).consume()
        for row in relations.iter_rows(named=True):
            session.run(
                "MATCH (s:Entity {entity_id: $s}), (t:Entity {entity_id: $t}) "
                "MERGE (s)-[r:CO_OCCURS {relation_id: $id}]->(t) SET r += $properties",
                s=row["source_id"],
                t=row["target_id"],
                id=row["relation_id"],
                properties={key: row[key] for key in RELATION_PROPERTIES},
            ).consume()
        return time.perf_counter() - start


def graphrag(
    driver,
    entities: pl.DataFrame,
    relations: pl.DataFrame,
    batch_size: int,
    vector_index: bool = False,
    names_only: bool = False,
) -> float:
    """neo4j-graphrag's writer as shipped, given the properties ours writes. With ``vector_index`` the same HNSW
    index as ours exists first, so both end with a searchable graph; ``names_only`` writes only entity names and
    relation ids and weights (this benchmark's input before 2026-11-30: less work than ours)."""
    node_keys = ["name"] if names_only else ENTITY_PROPERTIES
    rel_keys = ["relation_id", "weight"] if names_only else RELATION_PROPERTIES
    from neo4j_graphrag.components.kg_writer import Neo4jWriter
    from neo4j_graphrag.components.types import Neo4jGraph, Neo4jNode, Neo4jRelationship

    nodes = [
        Neo4jNode(
            id=r["entity_id"],
            label=r["type"],
            properties={key: r[key] for key in node_keys},
            embedding_properties={"embedding": r["vector"]},
        )
        for r in entities.with_columns(pl.col("vector").arr.to_list()).iter_rows(named=True)
    ]
    rels = [
        Neo4jRelationship(
            start_node_id=r["source_id"],
            end_node_id=r["target_id"],
            type=r["type"],
            properties={key: r[key] for key in rel_keys},
        )
        for r in relations.iter_rows(named=True)
    ]
    writer = Neo4jWriter(driver, batch_size=batch_size)
    if vector_index:
        dimension = len(nodes[0].embedding_properties["embedding"])
        with driver.session() as session:
            session.run(
                "CREATE VECTOR INDEX entity_embedding IF NOT EXISTS FOR (n:__KGBuilder__) ON n.embedding OPTIONS "
                "{indexConfig: {`vector.dimensions`: $d, `vector.similarity_function`: 'cosine', "
                "`vector.quantization.enabled`: false}}",
                d=dimension,
            ).consume()
    start = time.perf_counter()
    asyncio.run(writer.run(Neo4jGraph(nodes=nodes, relationships=rels)))
    return time.perf_counter() - start


def _median(pairs: list[dict], writer: str) -> dict:
    """The median of ``writer``'s runs among the rounds (one load: items are the same in every run)."""
    runs = sorted((pair[writer] for pair in pairs), key=lambda run: run["s"])
    return runs[len(runs) // 2]


@contextmanager
def fresh_server() -> Iterator:
    """A driver to a Neo4j test server on an empty data directory, removed afterwards (a store kept from earlier
    benchmarks holds gigabytes of their transaction logs)."""
    root = Path(tempfile.mkdtemp(prefix="neo4j-bench-"))
    server = Neo4jServer(root / "db", root / "server.log")
    try:
        server.start(timeout=300)
        with GraphDatabase.driver(server.uri, auth=None) as driver:
            yield driver
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3, help="alternated graphrag / ORC AI runs at the defaults")
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[1000, 2000, 5000])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 2, 4], help="write_concurrency values")
    args = parser.parse_args()
    entities = pl.read_parquet(args.assets / "entities.parquet")
    relations = pl.read_parquet(args.assets / "relations.parquet")
    vectors = pl.read_parquet(args.assets / "embeddings.parquet").filter(pl.col("kind") == "entity")
    entities = entities.join(vectors.select(pl.col("id").alias("entity_id"), "vector"), on="entity_id")
    # the graph is entities and relations: no chunks, so no MENTIONS for ours to link
    entities = entities.with_columns(
        pl.lit([], dtype=pl.List(pl.String)).alias("chunk_ids"),
        pl.col("aliases").list.join(" | ").alias("aliases_text"),  # as ours stores it, for (b) and (c)
    )
    results: dict = {"entities": entities.height, "relations": relations.height}

    def sample(n_entities: int, n_relations: int) -> tuple[pl.DataFrame, pl.DataFrame]:
        """The first entities and up to ``n_relations`` relations among them."""
        head = entities.head(n_entities)
        ids = head["entity_id"].implode()
        among = relations.filter(pl.col("source_id").is_in(ids) & pl.col("target_id").is_in(ids))
        return head, among.head(n_relations)

    if importlib.util.find_spec("neo4j_graphrag") is None:
        sys.exit("neo4j-graphrag is not installed: see this script's docstring")
    default = {"batch_size": 1000, "sessions": 2}  # the resource's defaults
    with fresh_server() as driver:

        def run(write: Callable, *graph: pl.DataFrame, **options) -> dict:
            wipe(driver)
            return outcome(driver, write(driver, *graph, **options))

        # JIT-compile every writer's statements and grow the store files once; a JVM keeps speeding up over its
        # first minutes, so nothing measured runs on a cold server
        print("warm-up", flush=True, file=sys.stderr)
        results["warm_up"] = {
            "orc_ai": run(ours, entities, relations, **default),
            "graphrag": run(graphrag, entities, relations, batch_size=1000),
            "naive": run(naive, *sample(300, 300)),
        }
        # the comparison the goals name, alternated so a server that drifts affects both alike; medians reported
        pairs = []
        for round_ in range(args.rounds):
            print(f"round {round_ + 1}", flush=True, file=sys.stderr)
            pairs.append(
                {
                    "graphrag": run(graphrag, entities, relations, batch_size=1000),
                    "orc_ai": run(ours, entities, relations, **default),
                }
            )
        results["rounds"] = pairs
        for writer in ("graphrag", "orc_ai"):
            results[f"{writer}_median"] = _median(pairs, writer)
        print("variants", flush=True, file=sys.stderr)
        results["naive_per_row_sample"] = run(naive, *sample(NAIVE_SAMPLE, NAIVE_SAMPLE))
        results["graphrag_with_vector_index"] = run(graphrag, entities, relations, batch_size=1000, vector_index=True)
        results["graphrag_names_only"] = run(graphrag, entities, relations, batch_size=1000, names_only=True)
        for size in args.batch_sizes:
            for sessions in args.sessions:
                if {"batch_size": size, "sessions": sessions} != default:
                    key = f"orc_ai_batch_{size}_sessions_{sessions}"
                    results[key] = run(ours, entities, relations, batch_size=size, sessions=sessions)
    ours_rate = results["orc_ai_median"]["per_s"]
    results["speedup_vs_graphrag"] = round(ours_rate / results["graphrag_median"]["per_s"], 2)
    results["speedup_vs_naive"] = round(ours_rate / results["naive_per_row_sample"]["per_s"], 2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

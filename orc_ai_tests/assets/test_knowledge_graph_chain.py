"""The whole chain on the bundled corpus, on hostile input, and incrementally — real models, real files."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from orc_ai.embed.texts import entity_text
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.graph.store import validate_graph_name
from orc_ai_tests.assets.conftest import checks, metadata, table

pytestmark = pytest.mark.slow
TABLES = ["raw_docs", "quarantined_docs", "chunks", "entities", "relations", "communities"]


def test_sample_corpus_becomes_a_graph_with_communities_and_every_check_passes(chain, bundled_chain, tmp_path) -> None:
    home, result = bundled_chain.home, bundled_chain.result
    assert result.success
    assert checks(result) and all(checks(result).values()), checks(result)

    docs, chunks, entities, relations = (table(home, t) for t in ("raw_docs", "chunks", "entities", "relations"))
    assert 30 <= metadata(result, "raw_docs")["files_seen"] <= 60 <= docs.height  # list files hold many docs
    assert set(docs["format"]) >= {"md", "txt", "html", "json", "jsonl", "csv"}
    assert table(home, "quarantined_docs").height == 0
    assert chunks["doc_id"].n_unique() == docs.height
    types = dict(entities.group_by("type").len().rows())
    assert {"DAG", "Task", "Team", "System", "Person"} <= set(types)
    for name in ("orders_daily_etl", "Snowflake", "Data Platform team"):
        assert name.casefold() in {n.casefold() for n in entities["name"]}, name
    assert relations["evidence_chunk_ids"].list.len().min() >= 1
    assert all(validate_graph_name(t) for t in relations["type"].unique())

    graph = metadata(result, "neo4j_graph")
    assert (graph["documents"], graph["chunks"], graph["entities"], graph["relations"]) == (
        docs.height,
        chunks.height,
        entities.height,
        relations.height,
    )
    communities = table(home, "communities")
    assert communities["level"].min() == 0 and communities["summary"].str.len_chars().min() > 20
    assert metadata(result, "communities")["modularity"] > 0.3

    store = EmbeddedGraphStore(home / "graph")  # what the agent will query
    dag = entities.filter(pl.col("name") == "orders_daily_etl").row(0, named=True)
    question = "orders_daily_etl failed loading into Snowflake"
    from orc_ai.embed.embedders import SentenceTransformerEmbedder

    hits = store.vector_search("chunk", SentenceTransformerEmbedder().embed([question])[0], k=5)
    hit_docs = set(chunks.filter(pl.col("chunk_id").is_in([h.id for h in hits]))["doc_id"])
    assert docs.filter(pl.col("name") == "runbooks/orders_daily_etl.md")["doc_id"][0] in hit_docs
    neighbourhood = store.neighbourhood([dag["entity_id"]], hops=1)
    assert len(neighbourhood.entity_ids) > 5 and neighbourhood.evidence_chunk_ids
    assert store.communities_of(dag["entity_id"])[0]["level"] == 0

    copy = bundled_chain.copy_home(tmp_path / "home")
    gds = chain.run(copy, bundled_chain.docs, {"communities": {"algorithm": "gds"}}, selection=["communities"])
    assert not gds.success  # Leiden in the database needs the Neo4j store: a clear failure, not a silent fallback
    (failure,) = [e for e in gds.all_events if e.is_step_failure]
    assert "needs the Neo4j graph store" in failure.step_failure_data.error.to_string()


def test_hostile_files_are_quarantined_with_reasons_and_the_run_stays_green(
    chain, sample_docs, bundled_chain, tmp_path
) -> None:
    (sample_docs / "broken.json").write_text('{"text": "unterminated')
    (sample_docs / "binary.md").write_bytes(b"\x00\xff" * 64)
    (sample_docs / "empty.txt").write_text("")
    (sample_docs / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (sample_docs / "ragged.csv").write_text("a,b\n1\n")
    home = tmp_path / "home"
    result = chain.run(home, sample_docs)
    assert result.success and all(checks(result).values())
    quarantined = dict(table(home, "quarantined_docs").select("name", "reason").iter_rows())
    assert quarantined == {
        "broken.json": "unparseable_json",
        "binary.md": "binary",
        "empty.txt": "empty",
        "ragged.csv": "unparseable_csv",
    }
    assert "café" in table(home, "raw_docs").filter(name="latin1.txt")["text"].to_list()  # Latin-1 is text
    # no good doc lost: the corpus's documents, the same as a load without the hostile files, and the Latin-1 one
    good = table(home, "raw_docs").filter(pl.col("name") != "latin1.txt")
    assert good.equals(table(bundled_chain.home, "raw_docs")) and table(home, "raw_docs").height == good.height + 1


def test_too_much_quarantine_blocks_everything_downstream(chain, tmp_path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ok.md").write_text("The DAG orders_daily_etl loads Snowflake for the Data Platform team.")
    for i in range(3):
        (docs / f"bad{i}.json").write_text("{nope")
    result = chain.run(tmp_path / "home", docs)
    assert checks(result)["raw_docs_quarantine_ratio"] is False
    materialised = {e.materialization.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    # the blocking gate stopped the chain; the agent's events come from its inbox and the Airflow history, and
    # the history's sources do not depend on documents
    assert materialised == {
        "raw_docs", "quarantined_docs", "agent_events", "quarantined_events", "airflow_task_runs", "airflow_dag_tasks"
    }


def test_adding_two_documents_processes_only_them_and_equals_a_full_rebuild(
    chain, sample_docs, bundled_chain, tmp_path
) -> None:
    added = sorted(p for p in sample_docs.rglob("*.md") if "runbooks" in p.parts)[:2]
    partial = _without(sample_docs, tmp_path, {p.relative_to(sample_docs).as_posix() for p in added})
    home = tmp_path / "incremental"
    assert chain.run(home, partial).success
    before_entities = table(home, "entities")

    for path in added:
        target = partial / path.relative_to(sample_docs)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    second = chain.run(home, partial)
    assert second.success and all(checks(second).values())

    new_docs = table(home, "raw_docs").filter(
        pl.col("source_path").is_in([p.relative_to(sample_docs).as_posix() for p in added])
    )
    new_chunks = table(home, "chunks").filter(pl.col("doc_id").is_in(new_docs["doc_id"].implode()))
    assert metadata(second, "chunks")["documents_chunked"] == 2
    assert metadata(second, "entities")["chunks_extracted"] == new_chunks.height
    old_texts = {entity_text(r) for r in before_entities.iter_rows(named=True)}
    changed = sum(entity_text(r) not in old_texts for r in table(home, "entities").iter_rows(named=True))
    assert metadata(second, "embeddings")["embedded"] == new_chunks.height + changed

    full = bundled_chain.home  # a fresh load of the whole corpus
    for name in TABLES:
        assert table(home, name).equals(table(full, name)), name
    a, b = table(home, "embeddings").sort("id"), table(full, "embeddings").sort("id")
    assert a["id"].equals(b["id"]) and np.allclose(a["vector"].to_numpy(), b["vector"].to_numpy(), atol=1e-5)
    assert EmbeddedGraphStore(home / "graph").stats() == EmbeddedGraphStore(full / "graph").stats()


def _without(source: Path, tmp_path: Path, names: set[str]) -> Path:
    target = tmp_path / f"subset_{len(list(tmp_path.iterdir()))}"
    shutil.copytree(
        source,
        target,
        ignore=lambda d, files: [f for f in files if (Path(d) / f).relative_to(source).as_posix() in names],
    )
    return target

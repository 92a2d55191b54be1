"""The embeddings table and the drift probe, on the real packaged model."""

import json
import shutil
from pathlib import Path

import polars as pl

from orc_ai.cache import ContentCache
from orc_ai.embed.embedders import SentenceTransformerEmbedder, packaged_model_path
from orc_ai.embed.tables import embed_tables, embedding_drift, embedding_inputs

DOCS = pl.DataFrame({"doc_id": ["d1", "d2"], "title": ["Kafka runbook", "Postgres runbook"]})
CHUNKS = pl.DataFrame(
    {
        "chunk_id": ["c1", "c2", "c3"],
        "doc_id": ["d1", "d1", "d2"],
        "text": ["Consumer lag grows when brokers are down.", "Restart the broker.", "The disk is full."],
    }
)
ENTITIES = pl.DataFrame(
    {"entity_id": ["e1"], "name": ["Kafka"], "type": ["System"], "aliases": [["MSK"]], "description": [""]}
)


def _model_copy(folder: Path) -> Path:
    """The packaged model in a folder of its own (weights linked, configs copied)."""
    source = packaged_model_path()
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("model.safetensors"))
    (folder / "model.safetensors").symlink_to(source / "model.safetensors")
    return folder


def test_table_has_one_unit_vector_per_chunk_and_entity(tmp_path: Path) -> None:
    with ContentCache(tmp_path / "e.sqlite") as cache:
        table, run = embed_tables(SentenceTransformerEmbedder(), DOCS, CHUNKS, ENTITIES, cache)
    assert table.select("id", "kind").rows() == [("c1", "chunk"), ("c2", "chunk"), ("c3", "chunk"), ("e1", "entity")]
    assert run.cache_misses == 4 and table.schema["vector"].size == 384


def test_drift_probe_finds_a_model_that_changed_behind_the_same_id(tmp_path: Path) -> None:
    model_dir = _model_copy(tmp_path / "model")
    inputs = embedding_inputs(DOCS, CHUNKS, ENTITIES)
    with ContentCache(tmp_path / "e.sqlite") as cache:
        table, _ = embed_tables(SentenceTransformerEmbedder(str(model_dir)), DOCS, CHUNKS, ENTITIES, cache)
        same = embedding_drift(SentenceTransformerEmbedder(str(model_dir)), table, inputs, 8, 1e-3)
        assert (same.sampled, same.drifted, same.other_model_rows) == (4, 0, 0)

        pooling = model_dir / "1_Pooling" / "config.json"  # mean pooling becomes CLS pooling: another model
        config = json.loads(pooling.read_text())
        pooling.write_text(json.dumps(config | {"pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True}))
        changed = SentenceTransformerEmbedder(str(model_dir))
        cached, run = embed_tables(changed, DOCS, CHUNKS, ENTITIES, cache)
    assert run.cache_hits == 4  # same model id: the cache hands back the old model's vectors
    drift = embedding_drift(changed, cached, inputs, 8, 1e-3)
    assert drift.drifted == 4 and drift.min_cosine < 0.99


def test_rows_of_another_model_are_counted() -> None:
    table = pl.DataFrame({"id": ["c1"], "kind": ["chunk"], "model": ["other-model"]}).with_columns(
        pl.Series("vector", [[1.0] + [0.0] * 383], dtype=pl.Array(pl.Float32, 384))
    )
    report = embedding_drift(SentenceTransformerEmbedder(), table, embedding_inputs(DOCS, CHUNKS, ENTITIES), 8, 1e-3)
    assert report.other_model_rows == 1

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from orc_ai.cache import ContentCache
from orc_ai.errors import ConfigError
from orc_ai.text.chunking import chunk_documents, chunk_text, load_tokenizer
from orc_ai.text.sentences import sentence_spans

TEXT = " ".join(f"Sentence number {i} says the DAG orders_daily_etl ran task step_{i} fine." for i in range(60))


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer()


def test_chunks_respect_the_token_limit_and_cover_the_text(tokenizer) -> None:
    spans = chunk_text(TEXT, tokenizer, max_tokens=64, overlap_tokens=16)
    assert len(spans) > 5
    for span in spans:
        encoded = tokenizer.encode(TEXT[span.start_char : span.end_char], add_special_tokens=False)
        assert len(encoded.ids) <= 64
        assert span.n_tokens == len(encoded.ids)
    assert spans[0].start_char == 0 and spans[-1].end_char == len(TEXT)
    for a, b in zip(spans, spans[1:], strict=False):
        assert b.start_char <= a.end_char + 1  # no gap between neighbours


def test_chunks_start_and_end_on_sentence_boundaries_and_overlap(tokenizer) -> None:
    boundaries = {s for s, _ in sentence_spans(TEXT)} | {e for _, e in sentence_spans(TEXT)}
    spans = chunk_text(TEXT, tokenizer, max_tokens=80, overlap_tokens=30)  # a sentence is ~20 tokens
    assert all(s.start_char in boundaries and s.end_char in boundaries for s in spans)
    assert all(b.start_char < a.end_char for a, b in zip(spans, spans[1:], strict=False))  # overlap


def test_a_sentence_longer_than_the_limit_is_cut_at_token_boundaries(tokenizer) -> None:
    text = "word " * 300
    spans = chunk_text(text.strip(), tokenizer, max_tokens=50, overlap_tokens=0)
    assert [s.n_tokens for s in spans] == [50] * 6


def test_bad_settings_raise_a_config_error(tokenizer) -> None:
    with pytest.raises(ConfigError):
        chunk_text(TEXT, tokenizer, max_tokens=10, overlap_tokens=8)


def test_chunk_documents_gives_deterministic_ids_and_reuses_the_cache(tokenizer, tmp_path: Path) -> None:
    docs = pl.DataFrame({"doc_id": ["d1", "d2"], "text": [TEXT, "Short doc."], "content_hash": ["h1", "h2"]})
    with ContentCache(tmp_path / "c.sqlite") as cache:
        first, chunked_first = chunk_documents(docs, tokenizer, cache, 64, 16)
        second, chunked_second = chunk_documents(docs, tokenizer, cache, 64, 16)
    assert (chunked_first, chunked_second) == (2, 0)
    assert first.equals(second)
    assert first["chunk_id"].n_unique() == first.height
    for doc_id, start, end, text in first.select("doc_id", "start_char", "end_char", "text").iter_rows():
        source = TEXT if doc_id == "d1" else "Short doc."
        assert source[start:end] == text


def _cased_copy(folder: Path) -> str:
    """The packaged tokenizer with lower-casing switched off: same vocabulary size, other tokens."""
    import json

    from orc_ai.embed.embedders import packaged_model_path

    spec = json.loads((packaged_model_path() / "tokenizer.json").read_text())
    spec["normalizer"]["lowercase"] = False
    path = folder / "tokenizer.json"
    path.write_text(json.dumps(spec))
    return str(path)


def test_chunk_cache_is_keyed_by_the_tokenizer_not_its_vocabulary_size(tokenizer, tmp_path: Path) -> None:
    cased = load_tokenizer(_cased_copy(tmp_path))
    assert cased.get_vocab_size() == tokenizer.get_vocab_size()
    docs = pl.DataFrame({"doc_id": ["d"], "text": ["KAFKA BROKER OFFLINE. " * 40], "content_hash": ["h"]})
    with ContentCache(tmp_path / "chunks.sqlite") as cache:
        first, chunked = chunk_documents(docs, tokenizer, cache, max_tokens=32, overlap_tokens=4)
        assert chunked == 1
        second, chunked = chunk_documents(docs, cased, cache, max_tokens=32, overlap_tokens=4)
    assert chunked == 1  # chunked afresh: spans counted in one tokenizer are wrong for another
    assert second["n_tokens"].to_list() != first["n_tokens"].to_list()


def test_chunks_are_sized_in_the_configured_local_model_tokens(tmp_path: Path) -> None:
    from orc_ai.resources.embedder import EmbedderResource

    _cased_copy(tmp_path)
    assert EmbedderResource(model_path=str(tmp_path)).tokenizer_file() == str(tmp_path / "tokenizer.json")
    with pytest.raises(ConfigError, match="no tokenizer"):
        load_tokenizer(str(tmp_path / "missing" / "tokenizer.json"))

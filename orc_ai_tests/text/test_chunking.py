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

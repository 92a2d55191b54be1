"""Token-aware chunking with overlap that keeps sentences whole where they fit."""

from __future__ import annotations

import bisect
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from pydantic import BaseModel

from orc_ai.cache import ContentCache
from orc_ai.errors import ConfigError
from orc_ai.hashing import stable_hash
from orc_ai.text.sentences import sentence_spans

if TYPE_CHECKING:
    from tokenizers import Tokenizer


class ChunkSpan(BaseModel):
    """Where one chunk sits in its document, and its size in model tokens."""

    start_char: int
    end_char: int
    n_tokens: int


@lru_cache(maxsize=4)
def load_tokenizer(tokenizer_file: str | None = None) -> Tokenizer:
    """An embedding model's own tokenizer (its ``tokenizer.json``; default the packaged model's), no truncation."""
    from tokenizers import Tokenizer

    if tokenizer_file is None:
        from orc_ai.embed.embedders import packaged_model_path

        tokenizer_file = str(packaged_model_path() / "tokenizer.json")
    if not Path(tokenizer_file).is_file():
        raise ConfigError(f"no tokenizer at {tokenizer_file}: chunking needs the embedding model's tokenizer.json")
    tokenizer = Tokenizer.from_file(tokenizer_file)
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def tokenizer_id(tokenizer: Tokenizer) -> str:
    """Identifies a tokenizer by its full definition (vocabulary, normaliser, pre-tokeniser): chunks cached for
    one tokenizer are never reused for another, even of the same vocabulary size."""
    return stable_hash(tokenizer.to_str(), length=16)


def chunk_text(text: str, tokenizer: Tokenizer, max_tokens: int = 200, overlap_tokens: int = 32) -> list[ChunkSpan]:
    """Pack whole sentences into chunks of at most ``max_tokens``; neighbours share about ``overlap_tokens``.

    A sentence longer than ``max_tokens`` is cut at token boundaries.
    """
    if max_tokens < 8 or not 0 <= overlap_tokens < max_tokens // 2:
        raise ConfigError(
            f"chunking needs max_tokens >= 8 and 0 <= overlap < max_tokens/2, got {max_tokens=} {overlap_tokens=}"
        )
    if not text.strip():
        return []
    offsets = [o for o in tokenizer.encode(text, add_special_tokens=False).offsets if o[1] > o[0]]
    token_starts = [s for s, _ in offsets]

    def tokens_in(start: int, end: int) -> int:
        return bisect.bisect_left(token_starts, end) - bisect.bisect_left(token_starts, start)

    units: list[tuple[int, int, int]] = []  # sentence (or sentence piece) spans with token counts
    for start, end in sentence_spans(text):
        n = tokens_in(start, end)
        if n <= max_tokens:
            units.append((start, end, n))
            continue
        first = bisect.bisect_left(token_starts, start)
        last = bisect.bisect_left(token_starts, end)
        for piece in range(first, last, max_tokens):
            piece_end = min(piece + max_tokens, last)
            units.append((offsets[piece][0], offsets[piece_end - 1][1], piece_end - piece))

    chunks: list[ChunkSpan] = []
    i = 0
    while i < len(units):
        j, total = i, 0
        while j < len(units) and total + units[j][2] <= max_tokens:
            total += units[j][2]
            j += 1
        chunks.append(ChunkSpan(start_char=units[i][0], end_char=units[j - 1][1], n_tokens=total))
        if j >= len(units):
            break
        # step back over trailing sentences that fit in the overlap, but always move forward
        k, carried = j, 0
        while k - 1 > i and carried + units[k - 1][2] <= overlap_tokens:
            k -= 1
            carried += units[k][2]
        i = k
    return chunks


CHUNK_SCHEMA = {
    "chunk_id": pl.String,
    "doc_id": pl.String,
    "chunk_index": pl.Int64,
    "text": pl.String,
    "start_char": pl.Int64,
    "end_char": pl.Int64,
    "n_tokens": pl.Int64,
    "content_hash": pl.String,
}


def chunk_documents(
    docs: pl.DataFrame, tokenizer: Tokenizer, cache: ContentCache, max_tokens: int = 200, overlap_tokens: int = 32
) -> tuple[pl.DataFrame, int]:
    """Chunk every document (``doc_id``, ``text``, ``content_hash``); returns the chunks and how many docs
    were chunked afresh (the others come from the cache by content hash)."""
    settings = f"{max_tokens}:{overlap_tokens}:{tokenizer_id(tokenizer)}"
    keys = {
        row[0]: stable_hash("chunks", settings, row[1], length=32)
        for row in docs.select("doc_id", "content_hash").iter_rows()
    }
    cached = cache.get_many(keys.values())
    fresh: dict[str, bytes] = {}
    rows = []
    for doc_id, text in docs.select("doc_id", "text").iter_rows():
        key = keys[doc_id]
        if key in cached:
            spans = [ChunkSpan(**s) for s in json.loads(cached[key])]
        else:
            spans = chunk_text(text, tokenizer, max_tokens, overlap_tokens)
            fresh[key] = json.dumps([s.model_dump() for s in spans]).encode()
        for index, span in enumerate(spans):
            chunk = text[span.start_char : span.end_char]
            content_hash = stable_hash(chunk, length=32)
            rows.append(
                {
                    "chunk_id": stable_hash("chunk", doc_id, str(index), content_hash),
                    "doc_id": doc_id,
                    "chunk_index": index,
                    "text": chunk,
                    "start_char": span.start_char,
                    "end_char": span.end_char,
                    "n_tokens": span.n_tokens,
                    "content_hash": content_hash,
                }
            )
    cache.put_many(fresh)
    return pl.DataFrame(rows, schema=CHUNK_SCHEMA).sort("doc_id", "chunk_index"), len(fresh)

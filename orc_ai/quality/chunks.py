"""Chunk-table quality: text repeated across documents (boilerplate headers, footers, disclaimers)."""

from __future__ import annotations

import polars as pl


def repeated_text_share(chunks: pl.DataFrame) -> float:
    """Share of chunks whose whitespace- and case-normalised text also appears in another document."""
    if chunks.is_empty():
        return 0.0
    normalised = chunks.select(
        "doc_id", pl.col("text").str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars().alias("t")
    )
    spread = normalised.group_by("t").agg(pl.col("doc_id").n_unique().alias("docs"))
    repeated = normalised.join(spread, on="t").filter(pl.col("docs") > 1).height
    return repeated / chunks.height

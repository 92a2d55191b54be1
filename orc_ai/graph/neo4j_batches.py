"""One batch of rows as a Cypher parameter, shared by the Neo4j store's writers."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl


class Columns(dict):
    """One batch as a query parameter: a list per column (see ``cypher.columnar``). The driver formats every RUN's
    parameters for its debug log even when debug logging is off; with a summary as repr that costs nothing (a
    batch of 1,000 embeddings took ~0.2 s of float formatting) and row data never reaches a log."""

    def __repr__(self) -> str:
        return f"<{len(next(iter(self.values()), []))} rows of {len(self)} columns>"


def batches(frame: pl.DataFrame, size: int) -> Iterator[Columns]:
    for start in range(0, frame.height, size):
        batch = frame.slice(start, size)
        yield Columns({name: batch[name].to_list() for name in batch.columns})

"""How one write is split between parallel writers: rounds of buckets whose rows touch disjoint node sets.

Concurrent transactions that lock the same nodes wait on each other or deadlock. Relationship rows are therefore
bucketed by a hash of their endpoints' ids, and buckets run together only when they share no partition
("mix and batch"): between two partitions of the same node set the rounds are a round-robin tournament's, between
two different node sets (a chunk's MENTIONS of an entity) a Latin square's. Rounds run one after the other.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

Rounds = list[list[pl.DataFrame]]


def bucket_rounds(frame: pl.DataFrame, keys: Sequence[str] = (), workers: int = 1, same_nodes: bool = True) -> Rounds:
    """Rounds of buckets of ``frame``'s rows; the buckets of one round may be written concurrently.

    ``keys`` name the id columns of the nodes each row locks: none (rows create or update their own distinct
    nodes), one (e.g. a chunk's document) or two (a relationship's endpoints; ``same_nodes`` when both come from
    one node set). Every row lands in exactly one bucket, in its original order.
    """
    if frame.is_empty():
        return []
    if workers <= 1:
        return [[frame]]
    if not keys:
        size = -(-frame.height // workers)
        return [[frame.slice(start, size) for start in range(0, frame.height, size)]]
    if len(keys) == 1:
        return [_non_empty(_split(frame, _partition(keys[0], workers), range(workers)))]
    if len(keys) != 2:
        raise ValueError(f"rows lock one or two nodes, not {len(keys)}: {keys}")
    source, target = keys
    if same_nodes:
        partitions = 2 * workers
        schedule = _round_robin(partitions) + [[(p, p) for p in range(partitions)]]
        lo = pl.min_horizontal(_partition(source, partitions), _partition(target, partitions))
        hi = pl.max_horizontal(_partition(source, partitions), _partition(target, partitions))
    else:
        partitions = workers
        schedule = [[(p, (p + shift) % partitions) for p in range(partitions)] for shift in range(partitions)]
        lo, hi = _partition(source, partitions), _partition(target, partitions)
    tagged = frame.with_columns(lo.alias("_lo"), hi.alias("_hi"))
    rounds = []
    for pairs in schedule:
        buckets = [tagged.filter((pl.col("_lo") == a) & (pl.col("_hi") == b)).drop("_lo", "_hi") for a, b in pairs]
        if buckets := _non_empty(buckets):
            rounds.append(buckets)
    return rounds


def _partition(column: str, partitions: int) -> pl.Expr:
    return (pl.col(column).hash(seed=0) % partitions).cast(pl.Int64)


def _split(frame: pl.DataFrame, partition: pl.Expr, values: range) -> list[pl.DataFrame]:
    tagged = frame.with_columns(partition.alias("_p"))
    return [tagged.filter(pl.col("_p") == value).drop("_p") for value in values]


def _non_empty(buckets: list[pl.DataFrame]) -> list[pl.DataFrame]:
    return [b for b in buckets if b.height]


def _round_robin(teams: int) -> list[list[tuple[int, int]]]:
    """Circle-method schedule: ``teams - 1`` rounds in which every pair of (an even number of) teams meets once
    and each team plays once per round. Pairs are (smaller, larger)."""
    order = list(range(teams))
    rounds = []
    for _ in range(teams - 1):
        pairs = [(order[i], order[teams - 1 - i]) for i in range(teams // 2)]
        rounds.append([(min(a, b), max(a, b)) for a, b in pairs])
        order = [order[0], order[-1], *order[1:-1]]
    return rounds

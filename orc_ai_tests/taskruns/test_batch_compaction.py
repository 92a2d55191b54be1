"""Compaction of the sensor's batches: many batches become one file, the merged table is unchanged, and a crash
at any step (simulated by raising there) leaves it readable with nothing lost or duplicated."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from orc_ai.taskruns import batches
from orc_ai.taskruns.batches import COMPACTED, batch_files, compact_batches, merge_batches, write_batch
from orc_ai.taskruns.schema import TRY_KEY

START = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def _tries(*rows: tuple) -> pl.DataFrame:
    """(task_id, try_number, state) rows of one DAG run."""
    return pl.DataFrame(
        [
            {
                "dag_id": "d1",
                "run_id": "r1",
                "task_id": task,
                "map_index": -1,
                "try_number": n,
                "state": state,
                "start_date": START + timedelta(minutes=n),
                "end_date": None if state in ("running", "queued", None) else START + timedelta(minutes=n, seconds=30),
            }
            for task, n, state in rows
        ]
    )


# a try observed again and again as it runs, fails and retries; a tombstone; tries that appear once
HISTORY = [
    _tries(("a", 1, "queued"), ("b", 1, "running")),
    _tries(("a", 1, "running"), ("c", 1, "queued")),
    _tries(("a", 1, "failed"), ("b", 1, "success"), ("c", 1, None)),  # c's try 1: Airflow holds none
    _tries(("a", 2, "running"), ("c", 2, "success")),
    _tries(("a", 2, "success"), ("d", 1, "failed")),
    _tries(("e", 1, "success")),
]


def _write(folder: Path, frames: list[pl.DataFrame], first: int = 1) -> None:
    for number, frame in enumerate(frames, start=first):
        write_batch(folder, number, frame)


def _states(table: pl.DataFrame) -> list[tuple]:
    return table.select("task_id", "try_number", "state").rows()


WANT = [("a", 1, "failed"), ("a", 2, "success"), ("b", 1, "success"), ("c", 2, "success"), ("d", 1, "failed"),
        ("e", 1, "success")]  # fmt: skip


def test_many_batches_become_one_file_and_the_table_is_unchanged(tmp_path: Path) -> None:
    _write(tmp_path, HISTORY)
    before = merge_batches(tmp_path)
    assert _states(before) == WANT
    done = compact_batches(tmp_path)
    assert done.folded == len(HISTORY) and done.table.equals(before)
    assert sorted(p.name for p in tmp_path.iterdir()) == [COMPACTED]
    assert merge_batches(tmp_path).equals(before)
    assert compact_batches(tmp_path).folded == 0 and merge_batches(tmp_path).equals(before)  # nothing new


def test_batches_after_a_compaction_merge_over_it(tmp_path: Path) -> None:
    _write(tmp_path, HISTORY[:3])
    compact_batches(tmp_path)
    _write(tmp_path, HISTORY[3:], first=4)
    fresh = tmp_path / "fresh"
    _write(fresh, HISTORY)
    assert merge_batches(tmp_path).equals(merge_batches(fresh))
    compact_batches(tmp_path)
    assert merge_batches(tmp_path).equals(merge_batches(fresh)) and batch_files(tmp_path) == []
    write_batch(tmp_path, 6, _tries(("e", 1, "failed")))  # a redone tick's batch, numbered as a folded one
    assert ("e", 1, "failed") in _states(merge_batches(tmp_path))


class Crash(Exception):
    """The process dying at this step."""


def _crash_on_call(monkeypatch, target, name: str, call: int) -> None:
    real, calls = getattr(target, name), []

    def crashing(*args, **kwargs):
        calls.append(1)
        if len(calls) == call:
            raise Crash(f"{name} call {call}")
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, crashing)


STEPS = {
    "writing the compacted file": (pl.DataFrame, "write_parquet", 1),
    "before replacing the compacted file": (os, "replace", 1),
    "before removing any batch": (Path, "unlink", 1),
    "after removing two batches": (Path, "unlink", 3),
    "before removing the last batch": (Path, "unlink", len(HISTORY) - 2),
}


@pytest.mark.parametrize("step", sorted(STEPS))
def test_a_crash_at_any_step_loses_and_duplicates_nothing(tmp_path: Path, monkeypatch, step: str) -> None:
    _write(tmp_path, HISTORY[:2])
    compact_batches(tmp_path)  # an earlier compaction, so a crash also meets an old compacted file
    _write(tmp_path, HISTORY[2:], first=3)
    before = merge_batches(tmp_path)
    target, name, call = STEPS[step]
    _crash_on_call(monkeypatch, target if target is not os else batches.os, name, call)
    with pytest.raises(Crash):
        compact_batches(tmp_path)
    monkeypatch.undo()
    after_crash = merge_batches(tmp_path)
    assert after_crash.equals(before), step
    assert after_crash.select(TRY_KEY).is_duplicated().sum() == 0 and _states(after_crash) == WANT
    done = compact_batches(tmp_path)  # the next run completes it
    assert done.table.equals(before) and batch_files(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [COMPACTED]


def test_a_batch_replaced_during_a_compaction_is_kept(tmp_path: Path, monkeypatch) -> None:
    _write(tmp_path, HISTORY)
    real = batches._merge

    def merge_then_redo(folder, files):
        table = real(folder, files)
        write_batch(folder, len(HISTORY), _tries(("e", 1, "failed")))  # the last tick redone meanwhile
        return table

    monkeypatch.setattr(batches, "_merge", merge_then_redo)
    assert compact_batches(tmp_path).folded == len(HISTORY) - 1
    monkeypatch.undo()
    assert [p.name for p in batch_files(tmp_path)] == [batches.batch_path(tmp_path, len(HISTORY)).name]
    assert ("e", 1, "failed") in _states(merge_batches(tmp_path))

"""The sensor's batches of task-run observations under ``$ORC_AI_HOME/airflow/batches`` and their merge.

Each batch is the rows one sensor tick fetched, written (atomically) *before* the sensor's cursor moves, and
named by the batch number that cursor advances to, so batches sort in observation order. A tick that wrote its
batch but whose cursor was never stored (a crash in between) is redone from the old cursor and overwrites the
same file with a newer view of the same tries. The table is the merge of every batch: one row per try, the
latest observation of a key winning; a latest observation with state null is a tombstone (Airflow holds no such
try, see ``airflow_bridge.sync._tries``) and removes the try.

Compaction folds the batches into ``compacted.parquet`` (the merge so far), which the merge reads before any
batch left: it writes the new merge atomically, then removes the batches it folded in, oldest first. A crash at
any point changes no merge: a batch merged again after the compacted file gives each of its keys the same latest
observation, and removing oldest first keeps every key's latest observation among the batches left.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orc_ai.taskruns.schema import conform_task_runs, empty_task_runs

SAMPLE_TASK_RUNS = Path(__file__).resolve().parent.parent / "sample_airflow" / "task_runs.parquet"
_PREFIX, _SUFFIX = "batch-", ".parquet"
COMPACTED = "compacted.parquet"


def batches_dir(home: Path) -> Path:
    """Where the Airflow sensor keeps its batches."""
    return home / "airflow" / "batches"


def batch_path(folder: Path, number: int) -> Path:
    """The file of batch ``number`` (zero-padded so that names sort as numbers)."""
    return folder / f"{_PREFIX}{number:010d}{_SUFFIX}"


def write_batch(folder: Path, number: int, rows: pl.DataFrame) -> Path:
    """Write ``rows`` (conformed to TASK_RUNS_SCHEMA) as batch ``number``; atomic, so a reader never sees half."""
    folder.mkdir(parents=True, exist_ok=True)
    path = batch_path(folder, number)
    tmp = path.with_name(f".{path.name}.tmp")
    conform_task_runs(rows).write_parquet(tmp)
    os.replace(tmp, path)
    return path


def batch_files(folder: Path) -> list[Path]:
    """Every batch in observation order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.startswith(_PREFIX) and p.name.endswith(_SUFFIX))


def _merge(folder: Path, files: list[Path]) -> pl.DataFrame:
    compacted = folder / COMPACTED
    sources = ([compacted] if compacted.exists() else []) + files
    if not sources:
        return empty_task_runs()
    frames = [conform_task_runs(pl.read_parquet(p)) for p in sources]  # conform each: older batches stay readable
    merged = conform_task_runs(pl.concat(frames, how="vertical"))
    return merged.filter(pl.col("state").is_not_null())


def merge_batches(folder: Path) -> pl.DataFrame:
    """One row per try over the compacted history and every batch after it, the latest observation of each key
    winning (tombstones, state null, remove their try); empty without either."""
    return _merge(folder, batch_files(folder))


@dataclass(frozen=True)
class Compaction:
    """A compaction's result: the merged table (what ``merge_batches`` gives before and after) and the number of
    batch files folded in and removed."""

    table: pl.DataFrame
    folded: int


def _identity(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def compact_batches(folder: Path) -> Compaction:
    """Fold every batch into ``compacted.parquet`` and remove them (see the module docstring: a crash at any step
    loses and duplicates nothing). A batch a redone tick replaced meanwhile is newer than the merge: it stays."""
    files = batch_files(folder)
    seen = {path: _identity(path) for path in files}
    table = _merge(folder, files)
    if not files:
        return Compaction(table, 0)
    compacted = folder / COMPACTED
    tmp = compacted.with_name(f".{COMPACTED}.tmp")
    table.write_parquet(tmp)
    os.replace(tmp, compacted)
    folded = 0
    for path in files:  # oldest first
        if _identity(path) == seen[path]:
            path.unlink()
            folded += 1
    return Compaction(table, folded)


def load_sample_task_runs() -> pl.DataFrame:
    """The bundled synthetic history of the sample corpus's DAGs (for the offline main job)."""
    return conform_task_runs(pl.read_parquet(SAMPLE_TASK_RUNS))

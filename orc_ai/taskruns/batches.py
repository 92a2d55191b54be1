"""The sensor's batches of task-run observations under ``$ORC_AI_HOME/airflow/batches`` and their merge.

Each batch is the rows one sensor tick fetched, written (atomically) *before* the sensor's cursor moves, and
named by the batch number that cursor advances to, so batches sort in observation order. A tick that wrote its
batch but whose cursor was never stored (a crash in between) is redone from the old cursor and overwrites the
same file with a newer view of the same tries. The table is the merge of every batch: one row per try, the
latest observation of a key winning.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from orc_ai.taskruns.schema import conform_task_runs, empty_task_runs

SAMPLE_TASK_RUNS = Path(__file__).resolve().parent.parent / "sample_airflow" / "task_runs.parquet"
_PREFIX, _SUFFIX = "batch-", ".parquet"


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


def merge_batches(folder: Path) -> pl.DataFrame:
    """One row per try over every batch, the latest observation of each key winning; empty without batches."""
    files = batch_files(folder)
    if not files:
        return empty_task_runs()
    frames = [conform_task_runs(pl.read_parquet(p)) for p in files]  # conform each: older batches stay readable
    return conform_task_runs(pl.concat(frames, how="vertical"))


def load_sample_task_runs() -> pl.DataFrame:
    """The bundled synthetic history of the sample corpus's DAGs (for the offline main job)."""
    return conform_task_runs(pl.read_parquet(SAMPLE_TASK_RUNS))

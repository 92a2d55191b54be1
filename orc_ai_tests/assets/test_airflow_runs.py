"""airflow_task_runs: the merge of the sensor's batches (latest observation wins), or the bundled sample."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import polars as pl

from orc_ai.assets.airflow_runs import airflow_task_runs
from orc_ai.resources.airflow import AirflowResource
from orc_ai.resources.io_manager import TableIOManager
from orc_ai.resources.local_state import LocalStateResource
from orc_ai.taskruns.batches import COMPACTED, batch_files, batches_dir, merge_batches, write_batch
from orc_ai.taskruns.schema import TASK_RUNS_SCHEMA, TRY_KEY

ON = AirflowResource(base_url="http://127.0.0.1:9", password="unused")


def _tries(*rows: tuple) -> pl.DataFrame:
    """(task_id, try_number, state) rows of one run."""
    return pl.DataFrame(
        [{"dag_id": "d1", "run_id": "r1", "task_id": t, "map_index": -1, "try_number": n, "state": s,
          "end_date": datetime(2026, 3, 1, tzinfo=UTC) if s not in ("running", None) else None} for t, n, s in rows]
    )  # fmt: skip


def _materialize(home: Path, airflow: AirflowResource) -> dg.ExecuteInProcessResult:
    resources = {
        "airflow": airflow,
        "state": LocalStateResource(home=str(home)),
        "io_manager": TableIOManager(base_dir=str(home / "assets")),
    }
    return dg.materialize([airflow_task_runs], resources=resources)


def _table(result: dg.ExecuteInProcessResult) -> pl.DataFrame:
    return result.output_for_node("airflow_task_runs")


def test_batches_merge_into_one_row_per_try_the_latest_observation_winning(tmp_path: Path) -> None:
    folder = batches_dir(tmp_path)
    write_batch(folder, 1, _tries(("a", 1, "running"), ("b", 1, "success")))
    write_batch(folder, 2, _tries(("a", 1, "up_for_retry")))
    write_batch(folder, 10, _tries(("a", 1, "failed"), ("a", 2, "success")))  # sorts after 2, as a number
    table = _table(_materialize(tmp_path, ON))
    assert table.schema == pl.Schema(TASK_RUNS_SCHEMA)
    assert table.select("task_id", "try_number", "state").rows() == [
        ("a", 1, "failed"), ("a", 2, "success"), ("b", 1, "success"),
    ]  # fmt: skip
    assert _table(_materialize(tmp_path, ON)).equals(table)  # the same batches: the identical table


def test_a_new_batch_gives_what_a_fresh_merge_of_all_batches_gives(tmp_path: Path) -> None:
    folder = batches_dir(tmp_path / "a")
    write_batch(folder, 1, _tries(("a", 1, "running")))
    _materialize(tmp_path / "a", ON)
    write_batch(folder, 2, _tries(("a", 1, "success"), ("b", 1, "failed")))
    incremental = _table(_materialize(tmp_path / "a", ON))
    fresh = batches_dir(tmp_path / "b")
    write_batch(fresh, 1, _tries(("a", 1, "running")))
    write_batch(fresh, 2, _tries(("a", 1, "success"), ("b", 1, "failed")))
    assert incremental.equals(_table(_materialize(tmp_path / "b", ON)))
    assert incremental.select(TRY_KEY).is_duplicated().sum() == 0 and incremental.height == 2


def test_a_tombstone_removes_a_try_airflow_holds_no_record_of(tmp_path: Path) -> None:
    folder = batches_dir(tmp_path)
    write_batch(folder, 1, _tries(("a", 1, "queued")))
    write_batch(folder, 2, _tries(("a", 1, None), ("a", 2, "success")))
    assert _table(_materialize(tmp_path, ON)).select("task_id", "try_number", "state").rows() == [("a", 2, "success")]


def test_a_redone_tick_overwrites_its_orphaned_batch(tmp_path: Path) -> None:
    folder = batches_dir(tmp_path)
    write_batch(folder, 1, _tries(("a", 1, "running")))  # written, but the cursor never stored
    write_batch(folder, 1, _tries(("a", 1, "success")))  # the same pull, redone from the old cursor
    assert _table(_materialize(tmp_path, ON))["state"].to_list() == ["success"]


def test_without_airflow_the_bundled_sample_history_is_the_table(tmp_path: Path) -> None:
    write_batch(batches_dir(tmp_path), 1, _tries(("a", 1, "running")))  # ignored: Airflow is off
    result = _materialize(tmp_path, AirflowResource())
    table = _table(result)
    assert table.schema == pl.Schema(TASK_RUNS_SCHEMA) and table.height > 1000
    assert table.select(TRY_KEY).is_duplicated().sum() == 0 and "d1" not in table["dag_id"].to_list()
    failed = table.filter(pl.col("state") == "failed")
    assert failed.height and failed["error_class"].null_count() == 0
    meta = result.get_asset_materialization_events()[0].materialization.metadata
    assert "sample" in meta["source"].value and meta["tries"].value == table.height


def test_with_airflow_on_and_no_batch_yet_the_table_is_empty(tmp_path: Path) -> None:
    table = _table(_materialize(tmp_path, ON))
    assert table.is_empty() and table.schema == pl.Schema(TASK_RUNS_SCHEMA)


def test_the_asset_compacts_the_batches_it_merges_into_one_file(tmp_path: Path) -> None:
    folder = batches_dir(tmp_path)
    for number in range(1, 13):  # a dozen ticks: a try observed again and again, and new ones
        state = "running" if number < 12 else "success"
        write_batch(folder, number, _tries(("a", 1, state), (f"t{number}", 1, "queued")))
    before = merge_batches(folder)
    result = _materialize(tmp_path, ON)
    table = _table(result)
    assert table.equals(before) and table.height == 13
    assert batch_files(folder) == [] and (folder / COMPACTED).exists()
    assert result.get_asset_materialization_events()[0].materialization.metadata["batches"].value == 12
    assert _table(_materialize(tmp_path, ON)).equals(table)  # nothing new: the identical table
    write_batch(folder, 13, _tries(("t1", 1, "success")))
    assert _table(_materialize(tmp_path, ON)).filter(pl.col("task_id") == "t1")["state"].to_list() == ["success"]

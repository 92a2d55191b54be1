"""The task-run table's contract: the bundled sample passes, each kind of breakage is named."""

from datetime import timedelta

import polars as pl
import pytest

from orc_ai.settings import BUNDLED_CORPUS_DIR
from orc_ai.taskruns.quality import task_run_problems
from orc_ai.taskruns.schema import TASK_RUNS_SCHEMA, conform_task_runs

SAMPLE = BUNDLED_CORPUS_DIR.parent / "sample_airflow" / "task_runs.parquet"


@pytest.fixture
def sample() -> pl.DataFrame:
    return pl.read_parquet(SAMPLE)


def test_the_bundled_sample_history_is_sound(sample) -> None:
    assert sample.height > 1000 and task_run_problems(sample) == []
    assert conform_task_runs(sample).equals(sample)  # already conformed: sorted, one row per try


@pytest.mark.parametrize(
    ("spoil", "named"),
    [
        (lambda f: pl.concat([f, f.head(2)]), "4 rows share a try key"),
        (lambda f: f.with_columns(pl.lit("exploded").alias("state")), "unknown state"),
        (lambda f: f.with_columns((pl.col("start_date") - timedelta(hours=1)).alias("end_date")), "end before"),
        (lambda f: f.with_columns((-pl.col("duration_s")).alias("duration_s")), "negative or NaN duration"),
        (lambda f: f.with_columns(pl.lit(None, pl.String).alias("dag_id")), "have no dag_id"),
        (lambda f: f.with_columns(pl.lit(-1, pl.Int32).alias("try_number")), "negative try number"),
        (lambda f: f.drop("log_tail"), "schema differs: missing ['log_tail']"),
        (lambda f: f.with_columns(pl.col("duration_s").cast(pl.String)), "duration_s: String"),
    ],
)
def test_each_breakage_is_named(sample, spoil, named) -> None:
    problems = task_run_problems(spoil(sample.head(50)))
    assert problems and any(named in p for p in problems), problems


def test_an_empty_table_is_sound() -> None:
    assert task_run_problems(pl.DataFrame(schema=TASK_RUNS_SCHEMA)) == []

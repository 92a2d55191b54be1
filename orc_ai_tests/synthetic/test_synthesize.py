"""synthesize_task_runs: conforming synthetic tries, seeded, scored by SDMetrics against the real history."""

from __future__ import annotations

import polars as pl
import pytest

from orc_ai import defaults
from orc_ai.synthetic.features import SYNTHETIC_RUN_PREFIX
from orc_ai.synthetic.synthesize import SyntheticHistory, SyntheticHistoryError, score_quality, synthesize_task_runs
from orc_ai.taskruns.schema import TASK_RUNS_SCHEMA, TRY_KEY, conform_task_runs
from orc_ai_tests.synthetic.histories import daily_history


@pytest.fixture(scope="module")
def real() -> pl.DataFrame:
    return daily_history(days=30)


@pytest.fixture(scope="module")
def made(real: pl.DataFrame) -> SyntheticHistory:
    return synthesize_task_runs(real, rows=1500, seed=7)


def test_synthetic_tries_conform_to_the_task_runs_schema(made: SyntheticHistory, real: pl.DataFrame) -> None:
    runs = made.task_runs
    assert runs.schema == pl.Schema(TASK_RUNS_SCHEMA)
    assert runs.height == 1500
    assert runs.select(TRY_KEY).is_duplicated().sum() == 0
    assert conform_task_runs(runs).equals(runs)
    assert runs["run_id"].str.starts_with(SYNTHETIC_RUN_PREFIX).all()
    timed = runs.filter(pl.col("start_date").is_not_null())
    spans = (timed["end_date"] - timed["start_date"]).dt.total_microseconds() / 1e6
    assert (spans - timed["duration_s"]).abs().max() < 1e-6
    assert (timed["duration_s"] >= 0).all()
    assert (runs["try_number"] >= 1).all() and (runs["try_number"] <= runs["max_tries"]).all()


def test_synthetic_tries_reuse_real_tasks_and_real_error_texts(made: SyntheticHistory, real: pl.DataFrame) -> None:
    runs = made.task_runs
    pairs = set(real.select("dag_id", "task_id").iter_rows())
    assert set(runs.select("dag_id", "task_id").iter_rows()) <= pairs  # no task lands in another DAG
    failed = runs.filter(pl.col("state") == "failed")
    assert failed.height > 0
    assert runs.filter(pl.col("state") != "failed")["error_class"].null_count() == runs.height - failed.height
    real_texts = set(real.select("error_class", "error_message").drop_nulls().iter_rows())
    assert set(failed.select("error_class", "error_message").drop_nulls().iter_rows()) <= real_texts
    operators = dict(zip(real["task_id"], real["operator"], strict=True))
    assert all(operators[t] == o for t, o in runs.select("task_id", "operator").iter_rows())
    # a larger history spans proportionally more days than the real one
    real_days = (real["start_date"].max() - real["start_date"].min()).days
    assert (runs["start_date"].max() - runs["start_date"].min()).days > 5 * real_days


def test_same_seed_same_rows_other_seed_other_rows(made: SyntheticHistory, real: pl.DataFrame) -> None:
    again = synthesize_task_runs(real, rows=1500, seed=7)
    assert again.task_runs.equals(made.task_runs)
    other = synthesize_task_runs(real, rows=1500, seed=8)
    assert not other.task_runs.equals(made.task_runs)


def test_quality_is_reported_and_passes_the_gate_on_a_month_of_history(made: SyntheticHistory) -> None:
    q = made.quality
    assert q.overall >= defaults.SYNTHETIC_MIN_QUALITY, q
    assert 0 < q.column_shapes <= 1 and 0 < q.column_pair_trends <= 1
    assert q.overall == pytest.approx((q.column_shapes + q.column_pair_trends) / 2)
    assert made.metrics["quality_score"] == q.overall
    assert made.params == {
        "synthesizer": "gaussian_copula", "seed": 7, "rows": 1500, "real_tries": made.params["real_tries"],
        "distribution": defaults.SYNTHETIC_DISTRIBUTION, "epochs": None,
    }
    assert all(isinstance(v, float) for v in made.metrics.values())


def test_score_is_one_for_the_real_table_and_drops_when_durations_are_wrong(real: pl.DataFrame) -> None:
    assert score_quality(real, real).overall == pytest.approx(1.0)
    slow = real.with_columns(pl.col("duration_s") * 50)
    assert score_quality(real, slow).column_shapes < score_quality(real, real).column_shapes - 0.05


def test_an_undertrained_synthesizer_scores_below_the_gate(real: pl.DataFrame) -> None:
    """TVAE after one epoch has not learnt the history: its sample scores below the gate the copula passes."""
    made = synthesize_task_runs(real, rows=600, seed=3, synthesizer="tvae", epochs=1)
    assert made.quality.overall < defaults.SYNTHETIC_MIN_QUALITY, made.quality
    assert made.params["synthesizer"] == "tvae" and made.params["epochs"] == 1


def test_unusable_inputs_raise_a_clear_error(real: pl.DataFrame) -> None:
    with pytest.raises(SyntheticHistoryError, match="1 real tries"):
        synthesize_task_runs(real.head(1), rows=10)
    with pytest.raises(SyntheticHistoryError, match="unknown synthesizer 'gan'"):
        synthesize_task_runs(real, rows=10, synthesizer="gan")
    with pytest.raises(SyntheticHistoryError, match="rows=0"):
        synthesize_task_runs(real, rows=0)

"""Failure categories over the failed tries of airflow_task_runs."""

from __future__ import annotations

import polars as pl
import pytest

from orc_ai.logs.failures import (
    CATEGORIES_SCHEMA,
    NO_ERROR_TEXT,
    cluster_failures,
    failure_log_clusters,
    failure_message,
)
from orc_ai.taskruns.schema import TRY_KEY
from orc_ai_tests.logs.conftest import AIRFLOW_TAIL


def _by_template(categories: pl.DataFrame) -> dict[str, dict]:
    return {row["template"]: row for row in categories.iter_rows(named=True)}


def test_one_category_per_failure_kind_with_counts_and_examples(task_runs: pl.DataFrame) -> None:
    found = cluster_failures(task_runs, max_examples=2)
    categories = _by_template(found.categories)
    assert set(categories) == {
        "ConnectionTimeout: timed out connecting to <*>.internal:<*> after <*>",
        "KeyError: 'customer_id'",
        "airflow.exceptions.AirflowException: Bash command failed. The command returned a non-zero exit code <*>.",
        NO_ERROR_TEXT,
    }
    timeouts = categories["ConnectionTimeout: timed out connecting to <*>.internal:<*> after <*>"]
    assert timeouts["count"] == 3
    assert timeouts["dag_ids"] == ["billing_invoice_export", "customer_360"]
    assert [t["task_id"] for t in timeouts["example_tries"]] == ["load_fx_rates", "load_fx_rates"]
    assert timeouts["error_class"] == "ConnectionTimeout"
    assert found.categories["count"].sum() == 7  # every failed try, none of the successes
    assert found.metrics == {"failed_tries": 7.0, "clusters": 4.0, "tries_without_error_text": 1.0,
                             "largest_cluster_share": 3 / 7}
    assert found.params["max_examples"] == 2 and found.params["algorithm"]


def test_assignments_name_each_failed_try_once(task_runs: pl.DataFrame) -> None:
    found = cluster_failures(task_runs)
    assert found.assignments.height == 7
    assert found.assignments.select(TRY_KEY).is_unique().all()
    assert set(found.assignments["cluster_id"]) == set(found.categories["cluster_id"])


def test_ids_are_stable_across_row_order_and_unrelated_changes(task_runs: pl.DataFrame) -> None:
    first = failure_log_clusters(task_runs)
    shuffled = failure_log_clusters(task_runs.sample(fraction=1.0, shuffle=True, seed=3))
    assert shuffled.equals(first)
    more = pl.concat([task_runs, task_runs.filter(pl.col("task_id") == "join_orders")
                      .with_columns(pl.lit("manual__1").alias("run_id"))])
    grown = _by_template(failure_log_clusters(more))
    for row in first.iter_rows(named=True):
        assert grown[row["template"]]["cluster_id"] == row["cluster_id"]
    assert grown["KeyError: 'customer_id'"]["count"] == 4


def test_the_message_falls_back_to_the_log_tail() -> None:
    assert failure_message("KeyError", "'customer_id'\nTraceback ...", None) == "KeyError: 'customer_id'"
    assert failure_message(None, None, AIRFLOW_TAIL) == (
        "airflow.exceptions.AirflowException: Bash command failed. The command returned a non-zero exit code 1.")
    assert failure_message("OSError", "OSError: disk full", None) == "OSError: disk full"
    assert failure_message("RateLimitError", "stripe.error.RateLimitError: slow down", None) == (
        "stripe.error.RateLimitError: slow down")
    assert failure_message("ExecutorLostFailure", "ExecutorLostFailure (executor 3 exited)", None) == (
        "ExecutorLostFailure (executor 3 exited)")
    assert failure_message("Killed", None, None) == "Killed"
    assert failure_message(None, None, None) == ""


def test_no_failed_tries_gives_an_empty_table(task_runs: pl.DataFrame) -> None:
    found = cluster_failures(task_runs.filter(pl.col("state") == "success"))
    assert found.categories.height == 0 and found.assignments.height == 0
    assert found.categories.schema == pl.Schema(CATEGORIES_SCHEMA)
    assert found.metrics["clusters"] == 0.0


def test_a_frame_without_the_try_key_is_a_clear_error(task_runs: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"lack key columns \['try_number'\]"):
        cluster_failures(task_runs.drop("try_number"))


def test_optional_columns_may_be_missing(task_runs: pl.DataFrame) -> None:
    found = cluster_failures(task_runs.drop("log_tail", "end_date"))
    assert found.categories["count"].sum() == 7

"""Small task-run histories written here: failed tries with real-looking Airflow errors, retries and successes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from orc_ai.taskruns.schema import conform_task_runs

AIRFLOW_TAIL = (
    "[2026-11-30T02:00:03.120+0000] {taskinstance.py:731} INFO - Dependencies all met\n"
    "[2026-11-30T02:00:09.441+0000] {taskinstance.py:3313} ERROR - Task failed with exception\n"
    "[2026-11-30T02:00:09.442+0000] {standard_task_runner.py:124} ERROR - airflow.exceptions.AirflowException: "
    "Bash command failed. The command returned a non-zero exit code 1.\n"
    "[2026-11-30T02:00:09.470+0000] {taskinstance.py:1206} INFO - Marking task as UP_FOR_RETRY"
)


def task_run_rows() -> list[dict]:
    """Tries of two DAGs: connection timeouts on two hosts, a missing column, a bash failure known only from its
    log, a failure with no text at all, and successes."""
    start = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    specs = [
        ("billing_invoice_export", "load_fx_rates", 1, "up_for_retry", "ConnectionTimeout",
         "timed out connecting to fx-api-01.internal:443 after 30s", None),
        ("billing_invoice_export", "load_fx_rates", 2, "failed", "ConnectionTimeout",
         "timed out connecting to fx-api-02.internal:443 after 60s", None),
        ("billing_invoice_export", "load_fx_rates", 3, "success", None, None, None),
        ("customer_360", "extract_crm", 1, "failed", "ConnectionTimeout",
         "timed out connecting to crm-db-7.internal:5432 after 30s", None),
        ("customer_360", "join_orders", 1, "failed", "KeyError", "'customer_id'", None),
        ("customer_360", "join_orders", 2, "failed", "KeyError", "'customer_id'", None),
        ("customer_360", "publish_report", 1, "failed", None, None, AIRFLOW_TAIL),
        ("customer_360", "archive", 1, "failed", None, None, None),
        ("customer_360", "archive", 2, "success", None, None, None),
    ]
    rows = []
    for n, (dag, task, try_number, state, cls, msg, tail) in enumerate(specs):
        rows.append({
            "dag_id": dag, "run_id": "scheduled__2026-11-30T02:00:00+00:00", "task_id": task, "map_index": -1,
            "try_number": try_number, "max_tries": 3, "state": state, "operator": "PythonOperator",
            "start_date": start + timedelta(minutes=n), "end_date": start + timedelta(minutes=n, seconds=40),
            "duration_s": 40.0, "error_class": cls, "error_message": msg, "log_tail": tail,
        })
    return rows


@pytest.fixture
def task_runs() -> pl.DataFrame:
    return conform_task_runs(pl.DataFrame(task_run_rows()))

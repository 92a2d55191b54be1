"""One pull of task-run history from Airflow: every try changed since the cursor, as ``airflow_task_runs`` rows.

A pull lists the task instances updated since the cursor's watermark (``updated_at_gte``, keyset paging by
``id``), and for each one not already emitted in the same state: every try (``.../tries`` when
``try_number > 1``, so a try replaced by a retry or a clear is never lost), and for a failed try its log's
exception class, message and tail. It stops between task instances once its time budget is spent and the cursor
says where to resume. See :mod:`airflow_bridge.cursor` for the watermark's edge cases.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import polars as pl

from airflow_bridge.client import AirflowClient
from airflow_bridge.cursor import SyncCursor, advance, observation_fingerprint, observation_hint
from airflow_bridge.errors import AirflowNotFoundError
from airflow_bridge.models import TaskInstance, TaskTry
from orc_ai import defaults
from orc_ai.taskruns.schema import TERMINAL_TRY_STATES, conform_task_runs, empty_task_runs

FAILED_TRY_STATES = frozenset({"failed", "up_for_retry"})  # a try that raised: its log holds the error


@dataclass
class PullResult:
    """What one pull found: ``rows`` (TASK_RUNS_SCHEMA) and the cursor to store once they are persisted."""

    rows: pl.DataFrame
    cursor: SyncCursor
    finished: bool
    task_instances: int = 0  # changed ones processed (not those skipped as already emitted)
    skipped_seen: int = 0
    pages: int = 0
    missing_logs: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return not self.rows.is_empty()


def pull_task_runs(
    client: AirflowClient,
    cursor: SyncCursor,
    *,
    budget_s: float = defaults.AIRFLOW_SYNC_BUDGET_S,
    page_size: int = defaults.AIRFLOW_PAGE_SIZE,
    overlap_s: float = defaults.AIRFLOW_SYNC_OVERLAP_S,
    log_tail_lines: int = defaults.AIRFLOW_LOG_TAIL_LINES,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> PullResult:
    """The tries changed since ``cursor``, within about ``budget_s`` seconds (at least one changed task
    instance is processed, so every pull makes progress; rows already emitted are skipped at no cost).

    Raises the client's :class:`~airflow_bridge.errors.AirflowError` when Airflow is down, answers 5xx or
    refuses the login: the caller then keeps its old cursor."""
    deadline = time.monotonic() + budget_s
    pull_started = cursor.pull_started or clock()
    seen = dict(cursor.seen)
    runs = _RunTypes(client)
    rows: list[dict[str, Any]] = []
    result = PullResult(rows=empty_task_runs(), cursor=cursor, finished=False)
    page_token = cursor.resume or ""
    processed_any = False
    while True:
        page = client.task_instances(
            updated_at_gte=cursor.watermark, order_by="id", limit=page_size, cursor=page_token
        )
        result.pages += 1
        pinned: set[str] = set()
        stopped = False
        for ti in page.items:
            fp = observation_fingerprint(_fields(ti))
            if fp in seen:  # already emitted as it is: costs nothing, so the budget does not stop it
                result.skipped_seen += 1
                pinned.add(fp)
                continue
            if processed_any and time.monotonic() > deadline:
                stopped = True
                break
            processed_any = True
            result.task_instances += 1
            pinned.add(fp)
            observed_at = clock()
            for attempt in _tries(client, ti):
                try_fp = observation_fingerprint(_fields(attempt))
                if try_fp in seen:
                    continue  # an earlier try already emitted as it is now
                rows.append(_row(client, attempt, ti, runs.of(ti), log_tail_lines, result))
                seen[try_fp] = observation_hint(attempt.end_date, attempt.state in TERMINAL_TRY_STATES, observed_at)
            seen[fp] = observation_hint(ti.end_date, ti.state in TERMINAL_TRY_STATES, observed_at)
        if stopped:
            resume = page_token  # fetch this page again; its processed rows are pinned in ``seen``
            break
        if not page.next_cursor or not page.items:
            resume, pinned = None, set()
            result.finished = True
            break
        page_token = page.next_cursor
        if processed_any and time.monotonic() > deadline:
            resume, pinned = page_token, set()
            break
    result.rows = conform_task_runs(pl.DataFrame(rows, schema_overrides=_ROW_TYPES)) if rows else empty_task_runs()
    result.cursor = advance(
        cursor, seen=seen, pinned=pinned, pull_started=pull_started, finished=result.finished, resume=resume,
        emitted=bool(rows), overlap_s=overlap_s,
    )  # fmt: skip
    return result


def _fields(t: TaskTry) -> dict[str, Any]:
    return {k: getattr(t, k) for k in ("dag_id", "dag_run_id", "task_id", "map_index", "try_number", "state",
                                         "start_date", "end_date", "duration", "hostname")}  # fmt: skip


def _tries(client: AirflowClient, ti: TaskInstance) -> list[TaskTry]:
    """Every try of ``ti`` worth a row, by try number: the current one once it has a state, and the earlier
    ones (``.../tries``) when there are any. A cleared task instance waits in state None with its old try
    number; that try's row must keep the state it ended in, so a None-state try is never a row."""
    current = [ti] if ti.state is not None else []
    if ti.try_number > 1 or (ti.state is None and ti.try_number >= 1):
        tries = client.task_instance_tries(ti.dag_id, ti.dag_run_id, ti.task_id, map_index=ti.map_index)
        by_number = {t.try_number: t for t in tries if t.state is not None}
        by_number.update({t.try_number: t for t in current})  # the list's view of the current try is newest
        return [by_number[n] for n in sorted(by_number)]
    return current


class _RunTypes:
    """run_type per DAG run (task instances do not carry it), one request per run and pull."""

    def __init__(self, client: AirflowClient):
        self.client, self.cache, self.requests = client, {}, 0

    def of(self, ti: TaskInstance) -> str | None:
        key = (ti.dag_id, ti.dag_run_id)
        if key not in self.cache:
            self.requests += 1
            try:
                self.cache[key] = self.client.get_dag_run(*key).run_type
            except AirflowNotFoundError:  # the run was deleted since: the try still counts
                self.cache[key] = None
        return self.cache[key]


def _row(
    client: AirflowClient, t: TaskTry, ti: TaskInstance, run_type: str | None, tail_lines: int, result: PullResult
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "dag_id": t.dag_id, "run_id": t.dag_run_id, "task_id": t.task_id, "map_index": t.map_index,
        "try_number": t.try_number, "max_tries": t.max_tries, "state": t.state, "run_type": run_type,
        "logical_date": ti.logical_date, "start_date": t.start_date, "end_date": t.end_date,
        "duration_s": t.duration, "operator": t.operator_name or t.operator, "pool": t.pool, "queue": t.queue,
        "hostname": t.hostname or None, "executor": t.executor,
        "error_class": None, "error_message": None, "log_tail": None,
    }  # fmt: skip
    if t.state in FAILED_TRY_STATES:
        try:
            task_log = client.task_log(t.dag_id, t.dag_run_id, t.task_id, t.try_number, map_index=t.map_index)
        except AirflowNotFoundError:
            result.missing_logs.append(f"{t.dag_id}/{t.dag_run_id}/{t.task_id}/{t.map_index}/{t.try_number}")
        else:
            error = task_log.error
            if error:
                row["error_class"], row["error_message"] = error
            # without the "::group::"/"::endgroup::" lines Airflow adds to fold the log in its UI
            lines = [ln for ln in task_log.text.splitlines() if "::group::" not in ln and "::endgroup::" not in ln]
            lines = lines[-tail_lines:]
            row["log_tail"] = "\n".join(lines)[-defaults.AIRFLOW_LOG_TAIL_MAX_CHARS :] or None
    return row


_ROW_TYPES = {"logical_date": pl.Datetime("us", "UTC"), "start_date": pl.Datetime("us", "UTC"),
              "end_date": pl.Datetime("us", "UTC")}  # fmt: skip

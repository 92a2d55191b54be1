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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import polars as pl

from airflow_bridge.client import AirflowClient
from airflow_bridge.cursor import SyncCursor, advance, observation_fingerprint
from airflow_bridge.errors import AirflowNotFoundError
from airflow_bridge.models import TaskInstance, TaskTry
from orc_ai import defaults
from orc_ai.taskruns.schema import conform_task_runs, empty_task_runs

T = TypeVar("T")
R = TypeVar("R")
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
    concurrency: int = defaults.AIRFLOW_SYNC_CONCURRENCY,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> PullResult:
    """The tries changed since ``cursor``, within about ``budget_s`` seconds (at least one changed task
    instance is processed, so every pull makes progress; rows already emitted are skipped at no cost). The
    tries and logs of ``concurrency`` task instances are requested at once (the client is thread-safe).

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
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="airflow-sync") as pool:
        while True:
            page = client.task_instances(
                updated_at_gte=cursor.watermark, order_by="id", limit=page_size, cursor=page_token
            )
            result.pages += 1
            fps = [observation_fingerprint(_fields(ti)) for ti in page.items]
            # rows already emitted as they are cost nothing, so the budget never stops on them
            pinned = {fp for fp in fps if fp in seen}
            result.skipped_seen += len(pinned)
            changed = [(ti, fp) for ti, fp in zip(page.items, fps, strict=True) if fp not in seen]
            runs.prefetch([ti for ti, _ in changed])
            stopped = False
            step = max(1, concurrency) if budget_s > 0 else 1
            for first in range(0, len(changed), step):
                if processed_any and time.monotonic() > deadline:
                    stopped = True
                    break
                processed_any = True
                chunk = changed[first : first + step]
                observed_at = clock().timestamp()
                tries = _map(pool, lambda c: _tries(client, c[0]), chunk, lambda c: _has_earlier_tries(c[0]))
                todo = [(ti, a) for (ti, _), attempts in zip(chunk, tries, strict=True) for a in attempts
                        if observation_fingerprint(_fields(a)) not in seen]  # fmt: skip
                rows.extend(_map(
                    pool, lambda p: _row(client, p[1], p[0], runs.of(p[0]), log_tail_lines, result), todo,
                    lambda p: p[1].state in FAILED_TRY_STATES,
                ))  # fmt: skip
                seen.update({observation_fingerprint(_fields(a)): observed_at for _, a in todo})
                for _, fp in chunk:
                    seen[fp] = observed_at
                    pinned.add(fp)
                result.task_instances += len(chunk)
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


def _map(pool: ThreadPoolExecutor, fn: Callable[[T], R], items: list[T], requests: Callable[[T], bool]) -> list[R]:
    """``fn`` over ``items``: in the pool when one of them makes a request, else inline. Handing a chunk to the
    pool's threads costs milliseconds, more than the rows of a chunk that needs nothing from Airflow."""
    if any(requests(item) for item in items):
        return list(pool.map(fn, items))
    return [fn(item) for item in items]


def _has_earlier_tries(ti: TaskInstance) -> bool:
    """Whether ``ti`` has tries before its current one (or a cleared one), which ``.../tries`` lists."""
    return ti.try_number > 1 or (ti.state is None and ti.try_number >= 1)


def _tries(client: AirflowClient, ti: TaskInstance) -> list[TaskTry]:
    """Every try of ``ti`` worth a row, by try number: the current one once it has a state, and the earlier
    ones (``.../tries``) when there are any. A cleared task instance waits in state None with its old try
    number; that try's row must keep the state it ended in, so a None-state current try is never a row.

    An earlier try number Airflow holds no try for (on an overloaded machine the executor can fail a queued try
    before it starts; Airflow then reuses the task instance for the next try and records none) becomes a
    *tombstone*: a row with state None, so that an earlier observation of that try (queued) is overridden and
    the merge (:func:`orc_ai.taskruns.batches.merge_batches`) drops it."""
    current = [ti] if ti.state is not None else []
    if _has_earlier_tries(ti):
        tries = client.task_instance_tries(ti.dag_id, ti.dag_run_id, ti.task_id, map_index=ti.map_index)
        by_number = {t.try_number: t for t in tries if t.state is not None}
        by_number.update({t.try_number: t for t in current})  # the list's view of the current try is newest
        for gone in set(range(1, ti.try_number)) - set(by_number):
            by_number[gone] = TaskTry(dag_id=ti.dag_id, dag_run_id=ti.dag_run_id, task_id=ti.task_id,
                                      map_index=ti.map_index, try_number=gone, state=None)  # fmt: skip
        return [by_number[n] for n in sorted(by_number)]
    return current


class _RunTypes:
    """run_type per DAG run (task instances do not carry it): for a page with several unknown runs, one listing
    of the runs in its ``run_after`` range (a page of 100 runs per request); any run still unknown, one GET."""

    def __init__(self, client: AirflowClient):
        self.client, self.cache = client, {}

    def prefetch(self, tis: list[TaskInstance]) -> None:
        unknown = {(t.dag_id, t.dag_run_id): t.run_after for t in tis if (t.dag_id, t.dag_run_id) not in self.cache}
        times = [when for when in unknown.values() if when is not None]
        if len(unknown) < defaults.AIRFLOW_RUN_LISTING_MIN or not times:
            return
        page_token, pages = "", 0
        while pages < len(unknown) // defaults.AIRFLOW_PAGE_SIZE + 2:  # a wide range of other runs: stop early
            page = self.client.list_dag_runs(run_after_gte=min(times), run_after_lte=max(times), cursor=page_token)
            pages += 1
            self.cache.update({(r.dag_id, r.dag_run_id): r.run_type for r in page.items})
            if not page.next_cursor or not page.items or all(k in self.cache for k in unknown):
                return
            page_token = page.next_cursor

    def of(self, ti: TaskInstance) -> str | None:
        key = (ti.dag_id, ti.dag_run_id)
        if key not in self.cache:
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

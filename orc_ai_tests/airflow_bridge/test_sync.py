"""The sync's cursor logic on small constructed histories (a fake restricted to AirflowClient's interface)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest.mock import MagicMock

import polars as pl
import pytest

from airflow_bridge import AirflowClient, AirflowNotFoundError, AirflowUnavailableError
from airflow_bridge.cursor import SyncCursor
from airflow_bridge.models import DagRun, Page, TaskInstance, TaskLog, TaskTry
from airflow_bridge.sync import pull_task_runs
from orc_ai.taskruns.schema import TASK_RUNS_SCHEMA

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class FakeAirflow:
    """Task instances with an ``updated_at`` the API filters on but never returns, like Airflow 3.3."""

    def __init__(self) -> None:
        self.now = T0
        self.tis: dict[tuple, dict] = {}  # (dag, run, task) -> current try (with updated_at)
        self.history: dict[tuple, list[dict]] = {}
        self.next_id = 0
        self.calls: list[str] = []
        self.client = MagicMock(spec=AirflowClient)
        self.client.task_instances.side_effect = self.task_instances
        self.client.task_instance_tries.side_effect = self.tries
        self.client.task_log.side_effect = self.log
        self.client.get_dag_run.side_effect = lambda dag, run: DagRun(
            dag_id=dag, dag_run_id=run, state="running", run_type="scheduled"
        )

    def clock(self) -> datetime:
        return self.now

    def put(self, task: str, state: str | None, try_number: int = 1, run: str = "r1", **extra) -> None:
        """Write the current try of ``task`` now; a new try number archives the old one, with a new id."""
        key = ("d1", run, task)
        old = self.tis.get(key)
        if old is not None and old["try_number"] != try_number:
            self.history.setdefault(key, []).append(old)
        if old is None or old["try_number"] != try_number:
            self.next_id += 1
            ti_id = f"{self.next_id:08d}"
        else:
            ti_id = old["id"]
        start = self.now - timedelta(seconds=5) if state not in (None, "queued") else None
        end = self.now if state in ("success", "failed", "up_for_retry") else None
        self.tis[key] = {
            "id": ti_id, "dag_id": "d1", "dag_run_id": run, "task_id": task, "try_number": try_number,
            "state": state, "start_date": start, "end_date": end, "duration": 5.0 if end else None,
            "hostname": "w1", "pool": "default_pool", "operator": "PythonOperator", "updated_at": self.now, **extra,
        }  # fmt: skip

    def task_instances(self, *, updated_at_gte=None, order_by=None, limit=100, cursor=None, **_) -> Page:
        self.calls.append(f"list:{cursor}")
        assert order_by == "id" and cursor is not None
        rows = sorted(
            (t for t in self.tis.values() if updated_at_gte is None or t["updated_at"] >= updated_at_gte),
            key=lambda t: t["id"],
        )
        rows = [t for t in rows if not cursor or t["id"] > cursor]
        page = rows[:limit]
        items = [TaskInstance.model_validate({k: v for k, v in t.items() if k != "updated_at"}) for t in page]
        return Page(items=items, next_cursor=page[-1]["id"] if len(rows) > limit else None)

    def tries(self, dag, run, task, *, map_index=-1) -> list[TaskTry]:
        self.calls.append(f"tries:{task}")
        key = (dag, run, task)
        return [TaskTry.model_validate(t) for t in [*self.history.get(key, []), self.tis[key]]]

    def log(self, dag, run, task, try_number, *, map_index=-1) -> TaskLog:
        self.calls.append(f"log:{task}:{try_number}")
        if task == "no_log":
            raise AirflowNotFoundError("no log", status_code=404)
        events = [
            {"timestamp": "t1", "level": "info", "event": "starting"},
            {"timestamp": "t2", "level": "error", "event": "Task failed with exception",
             "error_detail": [{"exc_type": "ValueError", "exc_value": f"bad input on try {try_number}"}]},
        ]  # fmt: skip
        return TaskLog(dag_id=dag, dag_run_id=run, task_id=task, try_number=try_number, events=events)

    def pull(self, cursor: SyncCursor, **kwargs):
        kwargs.setdefault("overlap_s", 60.0)
        return pull_task_runs(self.client, cursor, clock=self.clock, **kwargs)

    def tick(self, seconds: float = 30) -> None:
        self.now += timedelta(seconds=seconds)


def _states(rows: pl.DataFrame) -> list[tuple]:
    return rows.select("task_id", "try_number", "state").rows()


def test_first_pull_reads_everything_and_sets_the_watermark_back_by_the_overlap() -> None:
    af = FakeAirflow()
    af.put("a", "success")
    af.put("b", "running")
    af.put("c", None, try_number=0)  # never ran: no try yet
    pulled = af.pull(SyncCursor())
    assert pulled.finished and _states(pulled.rows) == [("a", 1, "success"), ("b", 1, "running")]
    assert pulled.rows.schema == pl.Schema(TASK_RUNS_SCHEMA) and pulled.rows["run_type"].to_list() == ["scheduled"] * 2
    assert pulled.cursor.watermark == T0 - timedelta(seconds=60) and pulled.cursor.batches == 1
    assert SyncCursor.loads(pulled.cursor.dumps()) == pulled.cursor


def test_rows_read_again_in_the_overlap_are_skipped_and_changed_tries_come_again_under_their_key() -> None:
    af = FakeAirflow()
    af.put("a", "success")
    af.put("b", "running")
    first = af.pull(SyncCursor())
    af.tick()
    again = af.pull(first.cursor)  # both rows are inside the overlap: read again, emitted never
    assert not again.changed and again.skipped_seen == 2 and again.cursor.batches == 1
    af.tick()
    af.put("b", "success")  # the running try finished
    later = af.pull(again.cursor)
    assert _states(later.rows) == [("b", 1, "success")] and later.cursor.batches == 2


def test_a_same_timestamp_tie_at_the_watermark_is_not_lost() -> None:
    af = FakeAirflow()
    af.put("a", "success")
    first = af.pull(SyncCursor(), overlap_s=0.0)  # the watermark is exactly T0
    af.put("b", "success")  # committed with updated_at == T0, after the pull read
    tie = af.pull(first.cursor, overlap_s=0.0)
    assert _states(tie.rows) == [("b", 1, "success")]


def test_a_retry_brings_every_earlier_try_with_the_error_from_its_log() -> None:
    af = FakeAirflow()
    af.put("a", "running")
    first = af.pull(SyncCursor())
    af.tick()
    af.put("a", "up_for_retry")
    af.tick(1)
    af.put("a", "failed", try_number=1)  # the try's final state, archived when try 2 starts
    af.put("a", "running", try_number=2)
    retry = af.pull(first.cursor)
    assert _states(retry.rows) == [("a", 1, "failed"), ("a", 2, "running")]
    failed = retry.rows.row(0, named=True)
    assert (failed["error_class"], failed["error_message"]) == ("ValueError", "bad input on try 1")
    assert failed["log_tail"].endswith("Task failed with exception") and retry.rows["error_class"][1] is None
    af.tick()
    af.put("a", "success", try_number=2)
    done = af.pull(retry.cursor)
    assert _states(done.rows) == [("a", 2, "success")]  # try 1, unchanged, is not emitted again
    assert af.calls.count("log:a:1") == 1


def test_a_cleared_task_waiting_in_state_none_keeps_its_last_try_as_it_ended() -> None:
    af = FakeAirflow()
    af.put("a", "failed")
    first = af.pull(SyncCursor())
    af.tick()
    af.tis[("d1", "r1", "a")].update(state=None, end_date=None, updated_at=af.now)  # cleared, not yet scheduled
    cleared = af.pull(first.cursor)
    assert not cleared.changed  # no (a, 1, None) row overwrites (a, 1, failed)


def test_a_tiny_budget_resumes_where_it_stopped_and_yields_what_one_pull_does() -> None:
    af = FakeAirflow()
    for i in range(7):
        af.put(f"t{i}", "failed" if i % 3 == 0 else "success")
    whole = af.pull(SyncCursor())
    cursor, parts, pulls = SyncCursor(), [], 0
    while True:
        pulled = af.pull(cursor, budget_s=0.0, page_size=3)  # one task instance per pull
        pulls += 1
        parts.append(pulled.rows)
        cursor = pulled.cursor
        if pulled.finished:
            break
        assert cursor.watermark is None and cursor.resume is not None and cursor.in_progress
    assert pulls == 7 and not cursor.in_progress and cursor.watermark == whole.cursor.watermark
    resumed = pl.concat(parts)
    assert resumed.equals(whole.rows.sort(resumed.columns[:5]))
    assert af.calls.count("log:t0:1") == 2  # once per run above, never twice within the resumed run


def test_airflow_failing_mid_pull_raises_and_a_retry_from_the_old_cursor_loses_nothing() -> None:
    af = FakeAirflow()
    for i in range(4):
        af.put(f"t{i}", "success")
    original = af.client.task_instances.side_effect
    af.client.task_instances.side_effect = [original(cursor="", order_by="id", limit=2),
                                            AirflowUnavailableError("down", status_code=503)]  # fmt: skip
    with pytest.raises(AirflowUnavailableError):
        af.pull(SyncCursor(), page_size=2)
    af.client.task_instances.side_effect = original
    assert len(af.pull(SyncCursor(), page_size=2).rows) == 4


def test_a_missing_log_is_reported_not_fatal() -> None:
    af = FakeAirflow()
    af.put("no_log", "failed")
    pulled = af.pull(SyncCursor())
    assert pulled.missing_logs == ["d1/r1/no_log/-1/1"] and pulled.rows["error_class"][0] is None


def test_fingerprints_are_pruned_once_their_try_ended_before_the_watermark() -> None:
    af = FakeAirflow()
    af.put("a", "success")
    first = af.pull(SyncCursor())
    assert len(first.cursor.seen) == 1
    af.tick(3600)
    af.put("b", "running")
    second = af.pull(first.cursor)
    assert len(second.cursor.seen) == 1  # a ended an hour before the new watermark; b is still running


def test_an_unreadable_cursor_is_an_error_not_a_silent_restart() -> None:
    with pytest.raises(ValueError, match="unreadable"):
        SyncCursor.loads("z1:not-base64-zlib")
    with pytest.raises(ValueError, match="version"):
        SyncCursor.loads('{"version": 99}')
    assert SyncCursor.loads(None) == SyncCursor() == SyncCursor.loads("")

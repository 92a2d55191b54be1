"""A client of Airflow 3's REST API v2: the endpoints ORC AI uses, over :class:`ApiSession`.

The three actions (``clear_task_instances``, ``set_dag_paused``, ``trigger_dag_run``) return Airflow's JSON
answer as a dict; reads return the pydantic records of :mod:`airflow_bridge.models`. Errors are the typed
:mod:`airflow_bridge.errors`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

from airflow_bridge.errors import AirflowConflictError, AirflowNotFoundError, AirflowTimeoutError
from airflow_bridge.models import Dag, DagRun, DagTask, Page, TaskInstance, TaskLog, TaskTry
from airflow_bridge.session import ApiSession, api_path, query_params
from orc_ai import defaults

ALL = "~"  # Airflow's wildcard for dag_id / dag_run_id in list endpoints


class AirflowClient(ApiSession):
    """Airflow's REST API v2 at ``base_url`` as ``username`` (see :class:`ApiSession` for the arguments)."""

    # --- actions (the agent's tools) -------------------------------------------------------------------------

    def clear_task_instances(
        self,
        dag_id: str,
        dag_run_id: str,
        task_ids: list[str],
        only_failed: bool = True,
        dry_run: bool = False,
        *,
        include_downstream: bool = True,
    ) -> dict:
        """Clear tasks of one run so the scheduler runs them again (``POST /dags/{dag_id}/clearTaskInstances``).

        Like the UI's Clear, downstream tasks are cleared too by default, so tasks that were ``upstream_failed``
        run again; the run goes back to queued. ``dry_run`` only lists what would be cleared. Returns
        ``{"task_instances": [...], "total_entries": n}``: the task instances cleared (or that would be)."""
        body = {
            "dag_run_id": dag_run_id,
            "task_ids": list(task_ids),
            "only_failed": only_failed,
            "dry_run": dry_run,
            "include_downstream": include_downstream,
            "reset_dag_runs": True,
        }
        # clearing only failed tasks twice clears nothing new, so a retry after a lost answer is safe
        return self._request(
            "POST", api_path("dags", dag_id, "clearTaskInstances"), json=body, idempotent=dry_run or only_failed
        )

    def set_dag_paused(self, dag_id: str, paused: bool) -> dict:
        """Pause or unpause a DAG (``PATCH /dags/{dag_id}``); returns the DAG as Airflow now holds it."""
        return self._request(
            "PATCH", api_path("dags", dag_id), params={"update_mask": "is_paused"}, json={"is_paused": paused}
        )

    def trigger_dag_run(
        self,
        dag_id: str,
        conf: dict | None = None,
        logical_date: str | None = None,
        *,
        dag_run_id: str | None = None,
    ) -> dict:
        """Start a DAG run (``POST /dags/{dag_id}/dagRuns``); returns the new run.

        ``logical_date`` (ISO 8601) None gives a run without one, as Airflow 3 does for manual runs. Without a
        ``dag_run_id`` the client makes a unique one, so a request retried after a lost answer cannot start a
        second run: Airflow answers 409 and the run the first attempt started is returned."""
        own_id = dag_run_id is None
        run_id = dag_run_id or f"orc_ai__{datetime.now(UTC).isoformat()}_{uuid.uuid4().hex[:8]}"
        body = {"dag_run_id": run_id, "logical_date": logical_date, "conf": conf or {}}
        try:
            return self._request("POST", api_path("dags", dag_id, "dagRuns"), json=body, idempotent=own_id)
        except AirflowConflictError:
            if not own_id:
                raise
            try:  # our unique id exists: an earlier attempt of this very call created it
                return self._request("GET", api_path("dags", dag_id, "dagRuns", run_id))
            except AirflowNotFoundError:
                raise AirflowConflictError(
                    f"POST dagRuns of {dag_id}: a run for logical date {logical_date} already exists",
                    status_code=409,
                ) from None

    # --- reads -----------------------------------------------------------------------------------------------

    def get_dag(self, dag_id: str) -> Dag:
        """One DAG (``GET /dags/{dag_id}``)."""
        return Dag.model_validate(self._request("GET", api_path("dags", dag_id)))

    def dag_tasks(self, dag_id: str) -> list[DagTask]:
        """A DAG's tasks with their upstream and downstream task ids (``GET /dags/{dag_id}/tasks``)."""
        tasks = self._request("GET", api_path("dags", dag_id, "tasks"))["tasks"]
        upstream: dict[str, list[str]] = {t["task_id"]: [] for t in tasks}
        for task in tasks:
            for child in task.get("downstream_task_ids") or []:
                upstream.setdefault(child, []).append(task["task_id"])
        return [DagTask.model_validate({**t, "upstream_task_ids": sorted(upstream[t["task_id"]])}) for t in tasks]

    def get_dag_run(self, dag_id: str, dag_run_id: str) -> DagRun:
        """One DAG run (``GET /dags/{dag_id}/dagRuns/{dag_run_id}``)."""
        return DagRun.model_validate(self._request("GET", api_path("dags", dag_id, "dagRuns", dag_run_id)))

    def list_dag_runs(
        self,
        dag_id: str = ALL,
        *,
        state: list[str] | None = None,
        updated_at_gte: datetime | str | None = None,
        run_after_gte: datetime | str | None = None,
        order_by: str | None = None,
        limit: int = defaults.AIRFLOW_PAGE_SIZE,
        offset: int = 0,
        cursor: str | None = None,
        run_after_lte: datetime | str | None = None,
    ) -> Page[DagRun]:
        """DAG runs of one DAG, or of every DAG with ``~`` (``GET /dags/{dag_id}/dagRuns``); offset paging, or
        cursor paging with ``cursor=""`` for the first page and then ``next_cursor``."""
        params = query_params(
            state=state,
            updated_at_gte=updated_at_gte,
            run_after_gte=run_after_gte,
            run_after_lte=run_after_lte,
            order_by=order_by,
            limit=limit,
            offset=None if cursor is not None else offset,
            cursor=cursor,
        )
        body = self._request("GET", api_path("dags", dag_id, "dagRuns"), params=params)
        return Page[DagRun](
            items=[DagRun.model_validate(r) for r in body["dag_runs"]],
            total_entries=body.get("total_entries"),
            next_cursor=body.get("next_cursor"),
        )

    def wait_for_dag_run(
        self, dag_id: str, dag_run_id: str, *, timeout_s: float = 300.0, poll_s: float = 1.0
    ) -> DagRun:
        """Poll a DAG run until it is ``success`` or ``failed``; AirflowTimeoutError past ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while True:
            run = self.get_dag_run(dag_id, dag_run_id)
            if run.finished:
                return run
            if time.monotonic() > deadline:
                raise AirflowTimeoutError(f"DAG run {dag_id}/{dag_run_id} still {run.state} after {timeout_s:.0f}s")
            time.sleep(poll_s)

    def task_instances(
        self,
        dag_id: str = ALL,
        dag_run_id: str = ALL,
        *,
        updated_at_gte: datetime | str | None = None,
        updated_at_gt: datetime | str | None = None,
        state: list[str] | None = None,
        task_id: str | None = None,
        order_by: str | None = None,
        limit: int = defaults.AIRFLOW_PAGE_SIZE,
        offset: int = 0,
        cursor: str | None = None,
    ) -> Page[TaskInstance]:
        """Task instances (latest try each) of one run, or across DAGs and runs with ``~``
        (``GET /dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances``).

        Offset paging by default; ``cursor=""`` starts keyset paging (then pass ``next_cursor``), which does
        not skip or repeat rows when new ones arrive between pages. Airflow 3.3 refuses
        ``order_by=updated_at``."""
        params = query_params(
            updated_at_gte=updated_at_gte,
            updated_at_gt=updated_at_gt,
            state=state,
            task_id=task_id,
            order_by=order_by,
            limit=limit,
            offset=None if cursor is not None else offset,
            cursor=cursor,
        )
        body = self._request("GET", api_path("dags", dag_id, "dagRuns", dag_run_id, "taskInstances"), params=params)
        return Page[TaskInstance](
            items=[TaskInstance.model_validate(t) for t in body["task_instances"]],
            total_entries=body.get("total_entries"),
            next_cursor=body.get("next_cursor"),
        )

    def iter_task_instances(
        self, dag_id: str = ALL, dag_run_id: str = ALL, *, page_size: int = defaults.AIRFLOW_PAGE_SIZE, **filters
    ) -> Iterator[TaskInstance]:
        """Every task instance matching ``filters`` (those of :meth:`task_instances`), page by page (cursor)."""
        cursor = ""
        while True:
            page = self.task_instances(dag_id, dag_run_id, limit=page_size, cursor=cursor, **filters)
            yield from page.items
            if not page.next_cursor or not page.items:
                return
            cursor = page.next_cursor

    def task_instance_tries(self, dag_id: str, dag_run_id: str, task_id: str, *, map_index: int = -1) -> list[TaskTry]:
        """Every try of one task instance, the current one included, by try number (``.../tries``)."""
        path = api_path("dags", dag_id, "dagRuns", dag_run_id, "taskInstances", task_id, "tries")
        body = self._request("GET", path, params={"map_index": map_index})
        return sorted((TaskTry.model_validate(t) for t in body["task_instances"]), key=lambda t: t.try_number)

    def task_log(self, dag_id: str, dag_run_id: str, task_id: str, try_number: int, *, map_index: int = -1) -> TaskLog:
        """The whole log of one try (``.../taskInstances/{task_id}/logs/{try_number}``)."""
        path = api_path("dags", dag_id, "dagRuns", dag_run_id, "taskInstances", task_id, "logs", str(try_number))
        body = self._request("GET", path, params={"full_content": True, "map_index": map_index})
        events = [e if isinstance(e, dict) else {"event": str(e)} for e in body.get("content") or []]
        return TaskLog(dag_id=dag_id, dag_run_id=dag_run_id, task_id=task_id, try_number=try_number, events=events)

    def list_dags(self, *, page_size: int = defaults.AIRFLOW_PAGE_SIZE) -> list[Dag]:
        """Every DAG Airflow knows (``GET /dags``; stale ones left out, as Airflow does by default), offset-paged."""
        dags: list[Dag] = []
        while True:
            body = self._request("GET", api_path("dags"), params={"limit": page_size, "offset": len(dags)})
            page = [Dag.model_validate(d) for d in body["dags"]]
            dags += page
            if not page or len(dags) >= (body.get("total_entries") or 0):
                return dags

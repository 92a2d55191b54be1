"""The act tools: not executed without Airflow; with a client, the documented REST API v2 requests go out."""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pytest

from orc_ai.errors import ToolArgumentsError, ToolError, ToolUnavailableError
from orc_ai.tools.context import AirflowActions, ToolContext
from orc_ai_tests.tools.recording_http import RecordingServer


class LoopbackAirflowClient:
    """The ``AirflowActions`` protocol over httpx, for these tests only (``airflow_bridge.client`` is the real
    one): each method sends the request the Airflow REST API v2 documents and returns the JSON answer."""

    def __init__(self, base_url: str):
        self.http = httpx.Client(base_url=base_url, headers={"Authorization": "Bearer test-token"})

    def _send(self, method: str, path: str, body: dict, params: dict | None = None) -> dict:
        response = self.http.request(method, path, json=body, params=params)
        response.raise_for_status()
        return response.json()

    def clear_task_instances(self, dag_id, dag_run_id, task_ids, only_failed=True, dry_run=False) -> dict:
        body = {"dag_run_id": dag_run_id, "task_ids": task_ids, "only_failed": only_failed, "dry_run": dry_run}
        return self._send("POST", f"/api/v2/dags/{quote(dag_id, safe='')}/clearTaskInstances", body)

    def set_dag_paused(self, dag_id, paused) -> dict:
        path = f"/api/v2/dags/{quote(dag_id, safe='')}"
        return self._send("PATCH", path, {"is_paused": paused}, {"update_mask": "is_paused"})

    def trigger_dag_run(self, dag_id, conf=None, logical_date=None) -> dict:
        body = {"logical_date": logical_date, "conf": conf or {}}
        return self._send("POST", f"/api/v2/dags/{quote(dag_id, safe='')}/dagRuns", body)


ACTS = {
    "clear_task": {"dag_id": "orders_daily", "dag_run_id": "manual__2026-01-01T00:00:00+00:00", "task_id": "load"},
    "pause_dag": {"dag_id": "orders_daily"},
    "trigger_dag_run": {"dag_id": "orders_daily"},
}


@pytest.mark.parametrize("tool", sorted(ACTS))
def test_without_airflow_nothing_is_executed(call, tool: str) -> None:
    with pytest.raises(ToolUnavailableError, match="Airflow not configured"):
        call(tool, ACTS[tool], ToolContext())


@pytest.fixture
def airflow(http_server: RecordingServer) -> AirflowActions:
    client = LoopbackAirflowClient(http_server.url)
    yield client
    client.http.close()


def test_clear_task_posts_clear_task_instances(call, http_server: RecordingServer, airflow) -> None:
    http_server.answer = (200, {"task_instances": [{"task_id": "load", "dag_run_id": "r"}], "total_entries": 1})
    result = call("clear_task", {**ACTS["clear_task"], "dry_run": True}, ToolContext(airflow=airflow))
    (request,) = http_server.requests
    assert (request.method, request.path) == ("POST", "/api/v2/dags/orders_daily/clearTaskInstances")
    assert request.json() == {
        "dag_run_id": "manual__2026-01-01T00:00:00+00:00",
        "task_ids": ["load"],
        "only_failed": True,
        "dry_run": True,
    }
    assert result["airflow"]["total_entries"] == 1 and result["task_id"] == "load"
    json.dumps(result)


def test_pause_dag_patches_is_paused(call, http_server: RecordingServer, airflow) -> None:
    http_server.answer = (200, {"dag_id": "orders_daily", "is_paused": True})
    result = call("pause_dag", {"dag_id": "orders_daily"}, ToolContext(airflow=airflow))
    (request,) = http_server.requests
    assert (request.method, request.path) == ("PATCH", "/api/v2/dags/orders_daily")
    assert request.json() == {"is_paused": True}
    assert request.query == {"update_mask": ["is_paused"]}
    assert result == {
        "dag_id": "orders_daily",
        "paused": True,
        "airflow": {"dag_id": "orders_daily", "is_paused": True},
    }


def test_trigger_dag_run_posts_a_dag_run(call, http_server: RecordingServer, airflow) -> None:
    http_server.answer = (200, {"dag_run_id": "manual__x", "state": "queued"})
    arguments = {"dag_id": "orders_daily", "conf": {"day": "2026-01-01"}, "logical_date": "2026-01-01T06:00:00+01:00"}
    result = call("trigger_dag_run", arguments, ToolContext(airflow=airflow))
    (request,) = http_server.requests
    assert (request.method, request.path) == ("POST", "/api/v2/dags/orders_daily/dagRuns")
    assert request.json() == {"logical_date": "2026-01-01T06:00:00+01:00", "conf": {"day": "2026-01-01"}}
    assert result["airflow"]["state"] == "queued"
    json.dumps(result)


def test_a_refused_argument_sends_no_request(call, http_server: RecordingServer, airflow) -> None:
    with pytest.raises(ToolArgumentsError, match="dag_id"):
        call("pause_dag", {"dag_id": "*"}, ToolContext(airflow=airflow))
    assert http_server.requests == []


def test_an_airflow_refusal_is_a_tool_error_naming_the_call(call, http_server: RecordingServer, airflow) -> None:
    http_server.answer = (404, {"detail": "The DAG with dag_id: `gone` was not found"})
    with pytest.raises(ToolError, match="did not pause dag 'gone'.*404"):
        call("pause_dag", {"dag_id": "gone"}, ToolContext(airflow=airflow))
    assert [r.path for r in http_server.requests] == ["/api/v2/dags/gone"]

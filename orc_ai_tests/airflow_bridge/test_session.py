"""The client's HTTP behaviour against httpx's transport interface: retries, token refresh, typed errors."""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import unquote

import httpx
import pytest

from airflow_bridge import (
    AirflowAuthError,
    AirflowClient,
    AirflowError,
    AirflowNotFoundError,
    AirflowRequestError,
    AirflowUnavailableError,
)
from orc_ai_tests.neo4j_server import free_port

PASSWORD = "s3cret-pw"


class FakeAirflow:
    """Answers /auth/token with a numbered token and hands every other request to ``answer``."""

    def __init__(self, answer):
        self.answer = answer
        self.logins = 0
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth/token":
            self.logins += 1
            return httpx.Response(201, json={"access_token": f"token-{self.logins}"})
        self.requests.append(request)
        return self.answer(request, len(self.requests))


def client_for(fake: FakeAirflow, **kwargs) -> AirflowClient:
    kwargs.setdefault("backoff_s", 0.0)
    return AirflowClient("http://airflow.test", "orc_ai", PASSWORD, transport=httpx.MockTransport(fake), **kwargs)


DAG = {"dag_id": "d1", "is_paused": False, "tags": [{"name": "t", "dag_id": "d1"}]}


def test_5xx_is_retried_with_backoff_then_succeeds() -> None:
    fake = FakeAirflow(lambda req, n: httpx.Response(503 if n <= 2 else 200, json=DAG))
    dag = client_for(fake, max_retries=3).get_dag("d1")
    assert (dag.dag_id, dag.is_paused, dag.tags) == ("d1", False, ["t"])
    assert len(fake.requests) == 3 and fake.logins == 1


def test_5xx_after_every_retry_is_unavailable() -> None:
    fake = FakeAirflow(lambda req, n: httpx.Response(502, json={"detail": "bad gateway"}))
    with pytest.raises(AirflowUnavailableError) as exc:
        client_for(fake, max_retries=2).get_dag("d1")
    assert exc.value.status_code == 502 and len(fake.requests) == 3
    assert "/api/v2/dags/d1" in str(exc.value)


def test_a_clear_that_is_not_safe_to_repeat_is_not_retried() -> None:
    fake = FakeAirflow(lambda req, n: httpx.Response(500, json={"detail": "boom"}))
    with pytest.raises(AirflowUnavailableError):
        client_for(fake, max_retries=3).clear_task_instances("d1", "r1", ["t1"], only_failed=False)
    assert len(fake.requests) == 1


def test_4xx_is_typed_and_not_retried() -> None:
    fake = FakeAirflow(lambda req, n: httpx.Response(404, json={"detail": "The Dag with ID: `nope` was not found"}))
    with pytest.raises(AirflowNotFoundError) as exc:
        client_for(fake).get_dag("nope")
    assert exc.value.status_code == 404 and "nope" in str(exc.value) and len(fake.requests) == 1

    fake = FakeAirflow(lambda req, n: httpx.Response(422, json={"detail": [{"loc": ["body", "conf"]}]}))
    with pytest.raises(AirflowRequestError) as exc:
        client_for(fake).trigger_dag_run("d1", dag_run_id="r1")
    assert exc.value.detail == [{"loc": ["body", "conf"]}]


def test_refused_token_is_refreshed_once_and_only_once() -> None:
    fake = FakeAirflow(
        lambda req, n: (
            httpx.Response(401, json={"detail": "Token Expired"}) if n == 1 else httpx.Response(200, json=DAG)
        )
    )
    client = client_for(fake)
    assert client.get_dag("d1").dag_id == "d1"
    assert fake.logins == 2 and client.token == "token-2"
    assert [r.headers["Authorization"] for r in fake.requests] == ["Bearer token-1", "Bearer token-2"]

    always = FakeAirflow(lambda req, n: httpx.Response(403, json={"detail": "Invalid JWT token"}))
    with pytest.raises(AirflowAuthError):
        client_for(always).get_dag("d1")
    assert always.logins == 2 and len(always.requests) == 2


def test_refused_login_names_the_user_never_the_password() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"detail": "Invalid credentials"})

    client = AirflowClient("http://airflow.test", "orc_ai", PASSWORD, transport=httpx.MockTransport(handler))
    with pytest.raises(AirflowAuthError) as exc:
        client.get_dag("d1")
    assert "orc_ai" in str(exc.value) and PASSWORD not in str(exc.value) and PASSWORD not in repr(client)


def test_a_rejected_login_body_is_not_echoed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:  # FastAPI's 422 repeats the input it refused
        detail = [{"type": "extra_forbidden", "loc": ["body"], "input": json.loads(request.content)}]
        return httpx.Response(422, json={"detail": detail})

    client = AirflowClient("http://airflow.test", "orc_ai", PASSWORD, transport=httpx.MockTransport(handler))
    with pytest.raises(AirflowAuthError) as exc:
        client.get_dag("d1")
    assert PASSWORD not in str(exc.value) and PASSWORD not in repr(exc.value.detail)


def test_an_answer_that_is_not_json_is_an_airflow_error() -> None:
    fake = FakeAirflow(lambda req, n: httpx.Response(200, text="<html>proxy login</html>"))
    with pytest.raises(AirflowError, match="not JSON"):
        client_for(fake).get_dag("d1")


def test_trigger_retried_after_a_lost_answer_returns_the_first_run() -> None:
    created: dict[str, dict] = {}

    def answer(request: httpx.Request, n: int) -> httpx.Response:
        if request.method == "POST":
            body = json.loads(request.content)
            if body["dag_run_id"] in created:
                return httpx.Response(409, json={"detail": "exists"})
            created[body["dag_run_id"]] = {"dag_id": "d1", "state": "queued", "run_type": "manual", **body}
            raise httpx.ReadTimeout("answer lost", request=request)  # the run exists, the answer never came
        run_id = request.url.path.rsplit("/", 1)[1]
        return httpx.Response(200, json=created[run_id])

    fake = FakeAirflow(answer)
    run = client_for(fake).trigger_dag_run("d1", conf={"k": 1})
    assert len(created) == 1 and run["dag_run_id"] in created and run["conf"] == {"k": 1}
    assert [r.method for r in fake.requests] == ["POST", "POST", "GET"]
    assert unquote(fake.requests[2].url.path).endswith(run["dag_run_id"])


def test_ids_are_percent_encoded_in_paths() -> None:
    fake = FakeAirflow(lambda req, n: httpx.Response(200, json={"task_instances": [], "total_entries": 0}))
    client_for(fake).task_instance_tries("d1", "manual__2026-01-01T00:00:00+00:00", "a/b")
    assert fake.requests[0].url.raw_path.decode() == (
        "/api/v2/dags/d1/dagRuns/manual__2026-01-01T00%3A00%3A00%2B00%3A00/taskInstances/a%2Fb/tries?map_index=-1"
    )


def test_nothing_listening_is_unavailable_fast() -> None:
    client = AirflowClient(f"http://127.0.0.1:{free_port()}", "orc_ai", PASSWORD, max_retries=2, backoff_s=0.05)
    started = time.monotonic()
    with pytest.raises(AirflowUnavailableError) as exc:
        client.get_dag("d1")
    assert time.monotonic() - started < 5 and "ConnectError" in str(exc.value)


def test_a_server_that_never_answers_times_out_instead_of_hanging() -> None:
    with socket.socket() as silent:  # accepts connections into its backlog, never reads or answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        client = AirflowClient(url, "orc_ai", PASSWORD, timeout_s=0.5, max_retries=1, backoff_s=0.05)
        started = time.monotonic()
        with pytest.raises(AirflowUnavailableError) as exc:
            client.get_dag("d1")
    assert time.monotonic() - started < 5 and "Timeout" in str(exc.value)

"""The client against a real Airflow 3.3 (the session's airflow_server) running the test DAGs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from airflow_bridge import AirflowAuthError, AirflowClient, AirflowNotFoundError, AirflowRequestError
from orc_ai_tests.airflow_server import AirflowServer

pytestmark = pytest.mark.slow

FLAKY, OK = "orc_test_flaky", "orc_test_ok"
RUN_TIMEOUT_S = 240


def wait_for_dags(client: AirflowClient, dag_ids: list[str], timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    for dag_id in dag_ids:
        while True:
            try:
                client.get_dag(dag_id)
                break
            except AirflowNotFoundError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)


@pytest.fixture(scope="module")
def client(airflow_server: AirflowServer) -> AirflowClient:
    with AirflowClient(airflow_server.base_url, airflow_server.username, airflow_server.password) as client:
        wait_for_dags(client, [FLAKY, OK])
        yield client


@pytest.fixture(scope="module")
def runs(client: AirflowClient) -> dict:
    """One finished run of each test DAG, triggered together."""
    since = datetime.now(UTC) - timedelta(seconds=1)
    flaky = client.trigger_dag_run(FLAKY)
    ok = client.trigger_dag_run(OK, conf={"rows": 3}, logical_date="2026-01-01T00:00:00+00:00")
    return {
        "since": since,
        FLAKY: client.wait_for_dag_run(FLAKY, flaky["dag_run_id"], timeout_s=RUN_TIMEOUT_S),
        OK: client.wait_for_dag_run(OK, ok["dag_run_id"], timeout_s=RUN_TIMEOUT_S),
    }


def test_triggered_runs_finish_and_are_listed(client: AirflowClient, runs: dict) -> None:
    flaky, ok = runs[FLAKY], runs[OK]
    assert flaky.state == "failed" and ok.state == "success"  # needs_clear has no retries left
    assert ok.conf == {"rows": 3} and ok.logical_date == datetime(2026, 1, 1, tzinfo=UTC)
    assert flaky.dag_run_id.startswith("orc_ai__") and flaky.triggered_by == "rest_api"
    assert ok.dag_run_id in {r.dag_run_id for r in client.list_dag_runs(OK).items}
    failed = client.list_dag_runs(state=["failed"], updated_at_gte=runs["since"]).items
    assert [(r.dag_id, r.dag_run_id) for r in failed] == [(FLAKY, flaky.dag_run_id)]


def test_task_instances_and_every_try(client: AirflowClient, runs: dict) -> None:
    run_id = runs[FLAKY].dag_run_id
    latest = {t.task_id: (t.state, t.try_number) for t in client.task_instances(FLAKY, run_id).items}
    assert latest == {"retried": ("success", 2), "needs_clear": ("failed", 1)}
    tries = client.task_instance_tries(FLAKY, run_id, "retried")
    assert [(t.try_number, t.state) for t in tries] == [(1, "failed"), (2, "success")]
    for t in tries:
        assert t.start_date and t.end_date and t.end_date >= t.start_date and t.duration is not None
        assert t.hostname and t.pool == "default_pool" and t.operator


def test_task_log_carries_the_error_of_the_failed_try(client: AirflowClient, runs: dict) -> None:
    run_id = runs[FLAKY].dag_run_id
    failed = client.task_log(FLAKY, run_id, "retried", 1)
    assert failed.error == ("RuntimeError", "orc-test: planned failure of retried on try 1")
    assert "Task failed with exception" in failed.text
    assert client.task_log(FLAKY, run_id, "retried", 2).error is None


def test_task_instances_across_dags_since_a_time_paged_both_ways(client: AirflowClient, runs: dict) -> None:
    since = runs["since"]
    expected = {(FLAKY, "retried"), (FLAKY, "needs_clear"), (OK, "extract"), (OK, "load")}
    ours = {runs[FLAKY].dag_run_id, runs[OK].dag_run_id}
    whole = client.task_instances(updated_at_gte=since, limit=100)
    # other tests' runs on the session's Airflow may add task instances of their own: look at ours
    assert {(t.dag_id, t.task_id) for t in whole.items if t.dag_run_id in ours} == expected
    n = whole.total_entries
    assert n == len(whole.items) >= 4

    by_cursor = [t.id for t in client.iter_task_instances(updated_at_gte=since, page_size=1)]
    by_offset = [
        t.id for offset in range(n) for t in client.task_instances(updated_at_gte=since, limit=1, offset=offset).items
    ]
    assert len(by_cursor) == len(set(by_cursor)) == n
    assert set(by_cursor) == set(by_offset) == {t.id for t in whole.items}

    assert client.task_instances(updated_at_gt=datetime.now(UTC) + timedelta(hours=1)).items == []
    with pytest.raises(AirflowRequestError, match="updated_at"):  # the sensor must not rely on this order
        client.task_instances(order_by="updated_at")


def test_dag_structure_has_upstream_and_downstream(client: AirflowClient) -> None:
    tasks = {t.task_id: t for t in client.dag_tasks(OK)}
    assert tasks["extract"].downstream_task_ids == ["load"] and tasks["extract"].upstream_task_ids == []
    assert tasks["load"].upstream_task_ids == ["extract"] and tasks["load"].downstream_task_ids == []
    flaky = {t.task_id: t.retries for t in client.dag_tasks(FLAKY)}
    assert flaky == {"retried": 1, "needs_clear": 0}


def test_pause_and_unpause_read_back(client: AirflowClient, runs: dict) -> None:
    try:
        assert client.set_dag_paused(OK, True)["is_paused"] is True
        assert client.get_dag(OK).is_paused is True
    finally:
        assert client.set_dag_paused(OK, False)["is_paused"] is False
    assert client.get_dag(OK).is_paused is False


def test_unknown_dag_is_not_found(client: AirflowClient) -> None:
    with pytest.raises(AirflowNotFoundError, match="orc_no_such_dag"):
        client.get_dag("orc_no_such_dag")
    with pytest.raises(AirflowNotFoundError):
        client.trigger_dag_run("orc_no_such_dag")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _expired_copy(token: str, secret: str) -> str:
    """The same claims, expired an hour ago, signed (HS512) with the server's own secret."""
    header, payload, _ = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    now = int(time.time())
    claims.update(iat=now - 7200, nbf=now - 7200, exp=now - 3600)
    signing_input = f"{header}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha512).digest()
    return f"{signing_input}.{_b64(signature)}"


def test_expired_and_corrupted_tokens_are_replaced(airflow_server: AirflowServer, client: AirflowClient) -> None:
    client.get_dag(OK)
    expired = _expired_copy(client.token, airflow_server.jwt_secret)
    corrupted = client.token[:-6] + ("AAAAAA" if not client.token.endswith("AAAAAA") else "BBBBBB")
    for token, status in ((expired, 401), (corrupted, 403)):
        raw = httpx.get(f"{airflow_server.base_url}/api/v2/dags/{OK}", headers={"Authorization": f"Bearer {token}"})
        assert raw.status_code == status  # what the client is about to meet
        with AirflowClient(airflow_server.base_url, airflow_server.username, airflow_server.password, token=token) as c:
            assert c.get_dag(OK).dag_id == OK
            assert c.token not in (None, token)


def test_wrong_password_is_an_auth_error(airflow_server: AirflowServer) -> None:
    with AirflowClient(airflow_server.base_url, airflow_server.username, "wrong") as c:
        with pytest.raises(AirflowAuthError, match=airflow_server.username):
            c.get_dag(OK)


def test_clearing_the_failed_task_runs_it_again(client: AirflowClient, runs: dict) -> None:
    """Last in the module: it changes the flaky run the tests above read."""
    run_id = runs[FLAKY].dag_run_id
    dry = client.clear_task_instances(FLAKY, run_id, ["needs_clear", "retried"], dry_run=True)
    assert [t["task_id"] for t in dry["task_instances"]] == ["needs_clear"]  # only the failed one
    assert client.task_instances(FLAKY, run_id, task_id="needs_clear").items[0].state == "failed"

    cleared = client.clear_task_instances(FLAKY, run_id, ["needs_clear"])
    assert [t["task_id"] for t in cleared["task_instances"]] == ["needs_clear"]
    assert client.wait_for_dag_run(FLAKY, run_id, timeout_s=RUN_TIMEOUT_S).state == "success"
    tries = client.task_instance_tries(FLAKY, run_id, "needs_clear")
    assert [(t.try_number, t.state) for t in tries] == [(1, "failed"), (2, "success")]

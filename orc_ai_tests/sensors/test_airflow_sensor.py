"""airflow_metadata_sensor against the session's real Airflow 3.3: ticks lose and duplicate no try."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from airflow_bridge import AirflowClient
from airflow_bridge.cursor import SyncCursor
from airflow_bridge.sync import pull_task_runs
from orc_ai.assets.airflow_runs import airflow_task_runs
from orc_ai.resources.airflow import AirflowResource
from orc_ai.resources.io_manager import TableIOManager
from orc_ai.resources.local_state import LocalStateResource
from orc_ai.sensors.airflow import make_airflow_metadata_sensor
from orc_ai.taskruns.batches import batch_files, batches_dir
from orc_ai.taskruns.schema import TASK_RUNS_SCHEMA, TRY_KEY
from orc_ai_tests.airflow_bridge.test_client_airflow import FLAKY, OK, RUN_TIMEOUT_S, _expired_copy, wait_for_dags
from orc_ai_tests.airflow_server import AirflowServer
from orc_ai_tests.neo4j_server import free_port

pytestmark = pytest.mark.slow


class Ticks:
    """Sensor ticks as the daemon runs them: a new context (and, on ``restart``, a new sensor) each time, the
    stored cursor the only state carried over."""

    def __init__(self, home: Path, airflow: AirflowResource, **knobs):
        self.home, self.airflow, self.knobs = home, airflow, knobs
        self.instance = dg.DagsterInstance.ephemeral()
        self.cursor: str | None = None
        self.sensor = make_airflow_metadata_sensor(**knobs)
        self.run_keys: list[str] = []

    def restart(self) -> None:
        self.sensor = make_airflow_metadata_sensor(**self.knobs)

    def tick(self) -> dg.SensorResult | dg.SkipReason:
        resources = {"airflow": self.airflow, "state": LocalStateResource(home=str(self.home))}
        with dg.build_sensor_context(instance=self.instance, cursor=self.cursor, resources=resources) as context:
            result = self.sensor(context)
        if isinstance(result, dg.SensorResult):
            self.cursor = result.cursor
            self.run_keys += [r.run_key for r in result.run_requests or []]
        return result

    def until_quiet(self, max_ticks: int = 200) -> int:
        """Tick until a finished pull finds nothing new; the number of ticks it took."""
        for n in range(1, max_ticks + 1):
            result = self.tick()
            assert isinstance(result, dg.SensorResult), getattr(result, "skip_message", result)
            if not result.run_requests and not SyncCursor.loads(self.cursor).in_progress:
                return n
        raise AssertionError(f"still pulling after {max_ticks} ticks")


def _resource(server: AirflowServer, **kwargs) -> AirflowResource:
    return AirflowResource(base_url=server.base_url, username=server.username, password=server.password, **kwargs)


def _truth(client: AirflowClient) -> pl.DataFrame:
    """Every try Airflow holds, read directly: (key..., state) per try that has a state."""
    rows = []
    for ti in client.iter_task_instances():
        tries = client.task_instance_tries(ti.dag_id, ti.dag_run_id, ti.task_id, map_index=ti.map_index)
        for t in tries:
            if t.state is not None:
                rows.append((t.dag_id, t.dag_run_id, t.task_id, t.map_index, t.try_number, t.state))
    return pl.DataFrame(rows, schema=[*TRY_KEY, "state"], orient="row").cast({"map_index": pl.Int32,
                                                                            "try_number": pl.Int32}).sort(TRY_KEY)


def _materialize(home: Path, airflow: AirflowResource) -> pl.DataFrame:
    resources = {
        "airflow": airflow,
        "state": LocalStateResource(home=str(home)),
        "io_manager": TableIOManager(base_dir=str(home / "assets")),
    }
    result = dg.materialize([airflow_task_runs], resources=resources)
    return result.output_for_node("airflow_task_runs")


def _observations(home: Path) -> pl.DataFrame:
    return pl.concat([pl.read_parquet(p) for p in batch_files(batches_dir(home))])


@pytest.fixture(scope="module")
def client(airflow_server: AirflowServer) -> AirflowClient:
    with AirflowClient(airflow_server.base_url, airflow_server.username, airflow_server.password) as client:
        wait_for_dags(client, [FLAKY, OK])
        yield client


def test_ticks_lose_and_duplicate_no_try_across_restarts_resumes_and_a_clear(
    airflow_server: AirflowServer, client: AirflowClient, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    # one task instance per page and a zero budget: every tick stops after one task instance and resumes
    ticks = Ticks(home, _resource(airflow_server), page_size=1, budget_s=0.0)
    flaky = client.trigger_dag_run(FLAKY)["dag_run_id"]
    ok = client.trigger_dag_run(OK)["dag_run_id"]
    for _ in range(3):  # while the runs are going: running and up_for_retry tries, later finished
        ticks.tick()
    client.wait_for_dag_run(FLAKY, flaky, timeout_s=RUN_TIMEOUT_S)
    client.wait_for_dag_run(OK, ok, timeout_s=RUN_TIMEOUT_S)
    ticks.tick()
    ticks.restart()  # a new sensor process: only the stored cursor survives
    assert ticks.until_quiet() >= 2

    client.clear_task_instances(FLAKY, flaky, ["needs_clear"])  # a second try of a finished task
    client.wait_for_dag_run(FLAKY, flaky, timeout_s=RUN_TIMEOUT_S)
    ticks.restart()
    ticks.until_quiet()
    assert ticks.until_quiet() == 1  # nothing changed: nothing requested

    # no observation emitted twice: every batch row is a new (key, state, end) of its try (read before the asset
    # folds the batches into its compacted history)
    seen = _observations(home).select([*TRY_KEY, "state", "start_date", "end_date"])
    assert seen.is_duplicated().sum() == 0
    assert len(ticks.run_keys) == len(set(ticks.run_keys)) == len(batch_files(batches_dir(home)))
    table = _materialize(home, ticks.airflow)
    assert batch_files(batches_dir(home)) == []
    truth = _truth(client)
    assert table.schema == pl.Schema(TASK_RUNS_SCHEMA)
    assert table.select([*TRY_KEY, "state"]).sort(TRY_KEY).equals(truth)  # no try lost, none extra
    assert table.select(TRY_KEY).is_duplicated().sum() == 0
    ours = table.filter(pl.col("run_id") == flaky).sort("task_id", "try_number")
    tries = [(t, x) for t in ("needs_clear", "retried") for x in client.task_instance_tries(FLAKY, flaky, t)]
    history = sorted((t, x.try_number, x.state) for t, x in tries)
    assert ours.select("task_id", "try_number", "state").rows() == history
    # the story of the test DAG; on an overloaded machine Airflow may fail a try before it starts (the executor
    # reports it failed while still queued), and then records no such try, so only what Airflow holds is required
    assert ("needs_clear", 2, "success") in history and ("retried", 2, "success") in history
    ran_and_failed = ours.filter((pl.col("state") == "failed") & pl.col("start_date").is_not_null())
    started_failures = sorted((t, x.try_number) for t, x in tries if x.state == "failed" and x.start_date)
    assert sorted(ran_and_failed.select("task_id", "try_number").rows()) == started_failures
    for row in ran_and_failed.iter_rows(named=True):
        assert row["error_class"] == "RuntimeError"
        assert row["error_message"] == f"orc-test: planned failure of {row['task_id']} on try 1"
        assert "Task failed with exception" in row["log_tail"] and "::group::" not in row["log_tail"]
        assert row["run_type"] == "manual" and row["operator"] and row["hostname"] and row["duration_s"] >= 0
    assert ours.filter(pl.col("state") == "success")["error_class"].null_count() == 2

    assert _materialize(home, ticks.airflow).equals(table)  # re-materialising gives the identical table


def test_one_unbounded_tick_reads_the_same_history(airflow_server: AirflowServer, client: AirflowClient, tmp_path):
    home = tmp_path / "home"
    ticks = Ticks(home, _resource(airflow_server))
    assert ticks.until_quiet() == 2  # the first tick reads everything; the second finds nothing new
    assert _materialize(home, ticks.airflow).select([*TRY_KEY, "state"]).sort(TRY_KEY).equals(_truth(client))
    # the sync lists a page's DAG runs by run_after range: Airflow must honour both ends of it
    runs = sorted(client.list_dag_runs().items, key=lambda r: r.run_after)
    first, last = runs[0].run_after, runs[-1].run_after
    assert len(runs) >= 2 and first < last
    inside = client.list_dag_runs(run_after_gte=first, run_after_lte=first).items
    assert [r.dag_run_id for r in inside] == [runs[0].dag_run_id]


def test_an_expired_token_is_refreshed_and_the_pull_continues(airflow_server: AirflowServer, client: AirflowClient):
    client.get_dag(OK)
    expired = _expired_copy(client.token, airflow_server.jwt_secret)
    with AirflowClient(airflow_server.base_url, airflow_server.username, airflow_server.password, token=expired) as c:
        pulled = pull_task_runs(c, SyncCursor())
        assert c.token not in (None, expired)
    tries = pulled.rows.filter(pl.col("state").is_not_null())  # without tombstones of tries Airflow never held
    assert pulled.finished and tries.select([*TRY_KEY, "state"]).sort(TRY_KEY).equals(_truth(client))


class _Always503(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"detail": "maintenance"}')

    do_POST = do_GET

    def log_message(self, *args) -> None:
        pass


def test_airflow_down_5xx_timeout_or_refused_login_skip_with_reason_and_keep_the_cursor(
    airflow_server: AirflowServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    ticks = Ticks(home, _resource(airflow_server))
    ticks.until_quiet()
    stored = ticks.cursor
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Always503)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    silent = socket.socket()  # accepts connections, never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        cases = {
            "ConnectError": AirflowResource(base_url=f"http://127.0.0.1:{free_port()}", password="x", max_retries=1),
            "HTTP 503": AirflowResource(base_url=f"http://127.0.0.1:{server.server_port}", password="x", max_retries=1),
            "Timeout": AirflowResource(
                base_url=f"http://127.0.0.1:{silent.getsockname()[1]}", password="x", timeout_s=0.5, max_retries=0
            ),
            "refused the login": AirflowResource(
                base_url=airflow_server.base_url, username=airflow_server.username, password="wrong-pw-123"
            ),
        }
        for reason, airflow in cases.items():
            ticks.airflow = airflow
            started = time.monotonic()
            result = ticks.tick()
            assert isinstance(result, dg.SkipReason) and reason in result.skip_message, (reason, result)
            assert "wrong-pw-123" not in result.skip_message and time.monotonic() - started < 30
            assert ticks.cursor == stored  # the cursor did not move
    finally:
        server.shutdown()
        silent.close()
    ticks.airflow = _resource(airflow_server)
    assert ticks.until_quiet() == 1  # and the sync carries on from there: its watermark moves again
    assert SyncCursor.loads(ticks.cursor).watermark > SyncCursor.loads(stored).watermark

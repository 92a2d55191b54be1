"""The five bridge DAGs in a real Airflow 3.3 launching real Dagster runs through a real dagster-webserver.

One Airflow (the session's) and one dagster-webserver (this module's) serve every test. The tests run the stages
in the seed's data order and each one reads what the one before it materialised, so they run in file order:
ingestion fails on a documents folder with too many bad files, succeeds once they are removed, then the knowledge
graph, the operations stage (on the task-run history this Airflow itself recorded), the agent and the report.
The documents folder is two runbooks of the sample corpus; the history is a few dozen tries.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import httpx
import polars as pl
import pytest
from dagster._core.instance.ref import InstanceRef

from airflow_bridge import AirflowClient
from airflow_bridge.cursor import SyncCursor
from airflow_bridge.dag_factory import TASK_ID
from airflow_bridge.dagster_graphql import ASSET_JOB, LAUNCH_TAG
from airflow_bridge.stage_runner import TAG_DAG_ID, TAG_RUN_ID, TAG_TASK_ID, TAG_TRY
from airflow_bridge.stages import STAGES, stage
from airflow_bridge.sync import pull_task_runs
from orc_ai import defaults
from orc_ai.settings import BUNDLED_CORPUS_DIR
from orc_ai.taskruns.batches import batches_dir, write_batch
from orc_ai_tests.airflow_bridge.test_client_airflow import wait_for_dags
from orc_ai_tests.airflow_server import AirflowServer
from orc_ai_tests.dagster_server import DagsterWebserver

pytestmark = pytest.mark.slow

BRIDGE_DAGS = Path(__file__).resolve().parents[2] / "airflow_bridge" / "dags"
MISSING = "orc_test_bridge_missing"
MISSING_DAG = f'''"""Test DAG: a stage naming an asset Dagster does not define; its task must fail naming it."""
from airflow_bridge.dag_factory import build_stage_dag
from airflow_bridge.stages import Stage

dag = build_stage_dag(Stage("orc_test", ("raw_docs", "orc_test_no_such_asset"), "test"), dag_id="{MISSING}")
'''
GOOD_DOCS = ("runbooks/dbt_nightly_run.md", "runbooks/fx_rates_hourly.md")
EMPTY_DOCS = ("notes/empty_1.txt", "notes/empty_2.txt")  # quarantined: 2 of 4 files is over the 25 % the check allows
RUN_TIMEOUT_S = 900
POLL_S = 2.0  # the test's wait for a DAG run: every poll is a request to the api-server, which is one process
VARIABLES = {"orc_ai_dagster_poll_s": "0.5"}  # the bridge task's wait for its Dagster run (default 5 s)
# on a loaded 2-core machine the api-server may take longer than the client's default to answer
AIRFLOW_TIMEOUT_S = 60.0


class BridgeDagster(DagsterWebserver):
    """The module's dagster-webserver: the tiny documents folder, and the session's Airflow as the operations
    assets' source (``ORC_AI_AIRFLOW_*``), as a deployment next to an Airflow has it."""

    def __init__(self, root: Path, airflow: AirflowServer):
        super().__init__(root / "dagster_home", root / "orc_home", root / "docs", root / "webserver.log")
        self.airflow = airflow

    @property
    def env(self) -> dict[str, str]:
        return super().env | {
            "ORC_AI_AIRFLOW_URL": self.airflow.base_url,
            "ORC_AI_AIRFLOW_USER": self.airflow.username,
            "ORC_AI_AIRFLOW_PASSWORD": self.airflow.password,
        }

    def instance(self) -> dg.DagsterInstance:
        return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(self.dagster_home)))

    def table(self, key: str) -> pl.DataFrame:
        return pl.read_parquet(self.orc_home / "assets" / f"{key}.parquet")


@dataclass
class Bridge:
    airflow: AirflowServer
    client: AirflowClient
    dagster: BridgeDagster


@dataclass
class StageRun:
    """One triggered DAG run: its Airflow run, its task's log text and error, the Dagster runs it launched."""

    dag_id: str
    state: str
    dag_run_id: str
    log_text: str
    error: list[str] | None
    dagster_runs: list[dg.DagsterRun]


def set_variable(server: AirflowServer, client: AirflowClient, key: str, value: str | None) -> None:
    """Create, update or (value None) delete an Airflow Variable through the REST API."""
    headers = {"Authorization": f"Bearer {client.login()}"}
    url = f"{server.base_url}/api/v2/variables"
    if value is None:
        httpx.delete(f"{url}/{key}", headers=headers, timeout=10)
        return
    answer = httpx.post(url, json={"key": key, "value": value}, headers=headers, timeout=10)
    if answer.status_code == 409:
        answer = httpx.patch(f"{url}/{key}", json={"key": key, "value": value}, headers=headers, timeout=10)
    answer.raise_for_status()


def tiny_docs(folder: Path) -> None:
    for rel in GOOD_DOCS:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(BUNDLED_CORPUS_DIR / rel, folder / rel)
    for rel in EMPTY_DOCS:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(b"")


@pytest.fixture(scope="module")
def bridge(airflow_server: AirflowServer, tmp_path_factory: pytest.TempPathFactory) -> Bridge:
    """The bridge DAGs (and the test DAG) parsed by Airflow and pointing at this module's dagster-webserver,
    which starts while Airflow parses them."""
    root = tmp_path_factory.mktemp("bridge")
    tiny_docs(root / "docs")
    dagster = BridgeDagster(root, airflow_server)
    for path in BRIDGE_DAGS.glob("*.py"):
        shutil.copy(path, airflow_server.dags_dir / path.name)
    (airflow_server.dags_dir / f"{MISSING}.py").write_text(MISSING_DAG)
    variables = VARIABLES | {"orc_ai_dagster_url": dagster.base_url}
    with (
        ThreadPoolExecutor(1) as pool,
        AirflowClient(
            airflow_server.base_url, airflow_server.username, airflow_server.password, timeout_s=AIRFLOW_TIMEOUT_S
        ) as client,
    ):
        started = pool.submit(dagster.start)
        try:
            for key, value in variables.items():
                set_variable(airflow_server, client, key, value)
            wait_for_dags(client, [s.dag_id for s in STAGES] + [MISSING], timeout_s=300)
            try:
                started.result()
            except RuntimeError as exc:
                pytest.fail(str(exc))
            yield Bridge(airflow_server, client, dagster)
        finally:
            wait([started])  # a server still starting in the other thread is stopped once it is up
            dagster.stop()
            for key in variables:
                set_variable(airflow_server, client, key, None)


def run_dag(bridge: Bridge, dag_id: str) -> StageRun:
    """Trigger ``dag_id``, wait for its run to end, and collect its task's log and the Dagster runs it launched."""
    dag_run_id = bridge.client.trigger_dag_run(dag_id)["dag_run_id"]
    run = bridge.client.wait_for_dag_run(dag_id, dag_run_id, timeout_s=RUN_TIMEOUT_S, poll_s=POLL_S)
    log = bridge.client.task_log(dag_id, run.dag_run_id, TASK_ID, 1)
    with bridge.dagster.instance() as instance:
        runs = list(instance.get_runs(filters=dg.RunsFilter(tags={TAG_RUN_ID: run.dag_run_id})))
    return StageRun(dag_id, run.state, run.dag_run_id, log.text, log.error, runs)


def xcom_value(bridge: Bridge, run: StageRun) -> str:
    """The task's return value as the REST API shows it."""
    url = (
        f"{bridge.airflow.base_url}/api/v2/dags/{run.dag_id}/dagRuns/{run.dag_run_id}"
        f"/taskInstances/{TASK_ID}/xcomEntries/return_value"
    )
    answer = httpx.get(url, headers={"Authorization": f"Bearer {bridge.client.login()}"}, timeout=10)
    answer.raise_for_status()
    return str(answer.json()["value"])


def assert_stage_materialised(bridge: Bridge, name: str, *, skipped: frozenset[str] = frozenset()) -> None:
    """Run the stage's DAG: its task succeeds, having launched one Dagster run of exactly the stage's assets,
    tagged with the Airflow try, that succeeded and materialised every one of them but ``skipped`` (assets that
    may skip, whose skip this run must show); the run id is in the task's log and XCom."""
    s = stage(name)
    run = run_dag(bridge, s.dag_id)
    assert run.state == "success", run.log_text[-3000:]
    (dagster_run,) = run.dagster_runs
    assert dagster_run.status == dg.DagsterRunStatus.SUCCESS
    assert dagster_run.tags[TAG_DAG_ID] == s.dag_id and dagster_run.tags[TAG_TASK_ID] == TASK_ID
    assert dagster_run.tags[TAG_TRY] == "1" and dagster_run.tags["orc_ai/stage"] == name
    assert dagster_run.job_name == ASSET_JOB and len(dagster_run.tags[LAUNCH_TAG]) == 32
    assert {k.to_user_string() for k in dagster_run.asset_selection} == set(s.assets)
    with bridge.dagster.instance() as instance:
        for key in s.assets:
            event = instance.get_latest_materialization_event(dg.AssetKey.from_user_string(key))
            if key in skipped:
                assert event is None, key
            else:
                assert event is not None and event.run_id == dagster_run.run_id, key
    assert f"Dagster run {dagster_run.run_id} ended SUCCESS" in run.log_text
    assert dagster_run.run_id in xcom_value(bridge, run)


def test_the_five_stage_dags_parse_with_one_task_each(bridge: Bridge) -> None:
    client = bridge.client
    for s in STAGES:
        dag = client.get_dag(s.dag_id)
        assert dag.dag_id == s.dag_id and not dag.is_paused and not dag.has_import_errors
        assert dag.description == s.description and "dagster_bridge" in dag.tags
        assert [t.task_id for t in client.dag_tasks(s.dag_id)] == [TASK_ID]
    headers = {"Authorization": f"Bearer {client.login()}"}
    errors = httpx.get(f"{bridge.airflow.base_url}/api/v2/importErrors", headers=headers, timeout=10).json()
    assert [e for e in errors["import_errors"] if "orc_ai_stages" in e["filename"] or MISSING in e["filename"]] == []


def test_a_failed_dagster_run_fails_the_task_with_its_run_id(bridge: Bridge) -> None:
    # half the documents are empty files: the blocking quarantine-ratio check fails, so the Dagster run fails
    run = run_dag(bridge, stage("data_ingestion").dag_id)
    assert run.state == "failed"
    (dagster_run,) = run.dagster_runs
    assert dagster_run.status == dg.DagsterRunStatus.FAILURE
    assert run.error is not None and run.error[0].endswith("DagsterRunFailedError")
    assert f"Dagster run {dagster_run.run_id} ended FAILURE" in run.error[1]
    assert "raw_docs_quarantine_ratio" in run.error[1]


def test_data_ingestion_dag_materialises_the_documents_once_the_bad_files_are_gone(bridge: Bridge) -> None:
    for rel in EMPTY_DOCS:
        (bridge.dagster.docs_dir / rel).unlink()
    assert_stage_materialised(bridge, "data_ingestion")
    assert sorted(bridge.dagster.table("raw_docs")["source_path"]) == sorted(GOOD_DOCS)
    assert bridge.dagster.table("chunks").height >= len(GOOD_DOCS)


def test_kg_build_dag_builds_the_graph_from_those_chunks(bridge: Bridge) -> None:
    assert_stage_materialised(bridge, "kg_build")
    assert bridge.dagster.table("entities").height > 0 and bridge.dagster.table("embeddings").height > 0


def test_monitoring_alerting_dag_models_the_history_this_airflow_recorded(bridge: Bridge) -> None:
    # what one airflow_metadata_sensor tick does: pull every try so far (the failed ingestion among them) into a batch
    pulled = pull_task_runs(bridge.client, SyncCursor())
    assert pulled.finished and pulled.rows.height >= 3
    write_batch(batches_dir(bridge.dagster.orc_home), 1, pulled.rows)
    # a history this small is too little for the synthesizer, which skips (in a full test session it may not be)
    small = pulled.rows.height < defaults.SYNTHETIC_MIN_HISTORY_TRIES
    assert_stage_materialised(
        bridge, "monitoring_alerting", skipped=frozenset({"synthetic_task_runs"} if small else ())
    )
    runs = bridge.dagster.table("airflow_task_runs")
    ingestion = runs.filter(pl.col("dag_id") == stage("data_ingestion").dag_id)
    assert sorted(ingestion["state"]) == ["failed", "success"]
    assert set(bridge.dagster.table("airflow_dag_tasks")["dag_id"]) >= {s.dag_id for s in STAGES}


def test_agent_execution_dag_turns_the_failed_ingestion_into_an_event_and_a_decision(bridge: Bridge) -> None:
    assert_stage_materialised(bridge, "agent_execution")
    events = bridge.dagster.table("agent_events").filter(pl.col("type") == "airflow_task_failure")
    assert stage("data_ingestion").dag_id in events["dag_id"].to_list()
    decided = set(bridge.dagster.table("agent_decisions")["event_id"])
    assert set(events["id"]) <= decided


def test_output_delivery_dag_renders_the_report(bridge: Bridge) -> None:
    assert_stage_materialised(bridge, "output_delivery")


def test_a_stage_naming_an_undefined_asset_fails_its_task_with_a_clear_message(bridge: Bridge) -> None:
    run = run_dag(bridge, MISSING)
    assert run.state == "failed"
    assert run.error is not None and run.error[0].endswith("DagsterAssetNotFoundError")
    expected = f"orc_test_no_such_asset not defined in any code location of Dagster at {bridge.dagster.base_url}"
    assert expected in run.error[1]
    assert run.dagster_runs == []  # nothing was launched

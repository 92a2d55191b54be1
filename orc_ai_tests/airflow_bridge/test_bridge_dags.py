"""The bridge DAGs in a real Airflow 3.3 launching real Dagster runs through a real dagster-webserver."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import httpx
import pytest
from dagster._core.instance.ref import InstanceRef

from airflow_bridge import AirflowClient
from airflow_bridge.dag_factory import TASK_ID
from airflow_bridge.stage_runner import TAG_DAG_ID, TAG_RUN_ID, TAG_TASK_ID, TAG_TRY
from airflow_bridge.stages import STAGES, stage
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
RUN_TIMEOUT_S = 900
VARIABLES = {"orc_ai_dagster_poll_s": "1"}


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


def dagster_runs_of(server: DagsterWebserver, airflow_run_id: str) -> list[dg.DagsterRun]:
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(server.dagster_home))) as instance:
        return list(instance.get_runs(filters=dg.RunsFilter(tags={TAG_RUN_ID: airflow_run_id})))


@pytest.fixture(scope="module")
def client(airflow_server: AirflowServer, dagster_webserver: DagsterWebserver) -> AirflowClient:
    """The Airflow client, once the bridge DAGs (and the test DAG) are parsed and point at the test's Dagster."""
    for path in BRIDGE_DAGS.glob("*.py"):
        shutil.copy(path, airflow_server.dags_dir / path.name)
    (airflow_server.dags_dir / f"{MISSING}.py").write_text(MISSING_DAG)
    variables = VARIABLES | {"orc_ai_dagster_url": dagster_webserver.base_url}
    with AirflowClient(airflow_server.base_url, airflow_server.username, airflow_server.password) as client:
        for key, value in variables.items():
            set_variable(airflow_server, client, key, value)
        wait_for_dags(client, [s.dag_id for s in STAGES] + [MISSING], timeout_s=300)
        yield client
        for key in variables:
            set_variable(airflow_server, client, key, None)


def test_the_five_stage_dags_parse_with_one_task_each(airflow_server: AirflowServer, client: AirflowClient) -> None:
    for s in STAGES:
        dag = client.get_dag(s.dag_id)
        assert dag.dag_id == s.dag_id and not dag.is_paused and not dag.has_import_errors
        assert dag.description == s.description and "dagster_bridge" in dag.tags
        assert [t.task_id for t in client.dag_tasks(s.dag_id)] == [TASK_ID]
    headers = {"Authorization": f"Bearer {client.login()}"}
    errors = httpx.get(f"{airflow_server.base_url}/api/v2/importErrors", headers=headers, timeout=10).json()
    assert [e for e in errors["import_errors"] if "orc_ai_stages" in e["filename"] or MISSING in e["filename"]] == []


def test_data_ingestion_dag_materialises_raw_docs_and_chunks_in_dagster(
    client: AirflowClient, dagster_webserver: DagsterWebserver
) -> None:
    dag_id = stage("data_ingestion").dag_id
    triggered = client.trigger_dag_run(dag_id)
    run = client.wait_for_dag_run(dag_id, triggered["dag_run_id"], timeout_s=RUN_TIMEOUT_S, poll_s=2)
    log = client.task_log(dag_id, run.dag_run_id, TASK_ID, 1)
    assert run.state == "success", log.text[-3000:]
    (dagster_run,) = dagster_runs_of(dagster_webserver, run.dag_run_id)
    assert dagster_run.status == dg.DagsterRunStatus.SUCCESS
    assert dagster_run.tags[TAG_DAG_ID] == dag_id and dagster_run.tags[TAG_TASK_ID] == TASK_ID
    assert dagster_run.tags[TAG_TRY] == "1" and dagster_run.tags["orc_ai/stage"] == "data_ingestion"
    assert {k.to_user_string() for k in dagster_run.asset_selection} == {"raw_docs", "quarantined_docs", "chunks"}
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(dagster_webserver.dagster_home))) as instance:
        for key in ("raw_docs", "chunks"):
            event = instance.get_latest_materialization_event(dg.AssetKey(key))
            assert event is not None and event.run_id == dagster_run.run_id
    assert f"Dagster run {dagster_run.run_id} ended SUCCESS" in log.text


def test_a_stage_naming_an_undefined_asset_fails_its_task_with_a_clear_message(
    client: AirflowClient, dagster_webserver: DagsterWebserver
) -> None:
    triggered = client.trigger_dag_run(MISSING)
    run = client.wait_for_dag_run(MISSING, triggered["dag_run_id"], timeout_s=RUN_TIMEOUT_S, poll_s=2)
    assert run.state == "failed"
    error = client.task_log(MISSING, run.dag_run_id, TASK_ID, 1).error
    assert error is not None and error[0].endswith("DagsterAssetNotFoundError")
    expected = f"orc_test_no_such_asset not defined in any code location of Dagster at {dagster_webserver.base_url}"
    assert expected in error[1]
    assert dagster_runs_of(dagster_webserver, run.dag_run_id) == []  # nothing was launched

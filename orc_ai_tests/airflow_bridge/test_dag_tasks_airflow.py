"""airflow_dag_tasks read from a real Airflow 3.3 (the session's airflow_server): every DAG it lists, paged."""

from __future__ import annotations

import pytest

from airflow_bridge import AirflowClient
from orc_ai.taskruns.dag_tasks import read_dag_tasks
from orc_ai_tests.airflow_bridge.test_client_airflow import FLAKY, OK, wait_for_dags
from orc_ai_tests.airflow_server import AirflowServer

pytestmark = pytest.mark.slow


def test_every_dag_and_its_tasks_from_airflow(airflow_server: AirflowServer) -> None:
    with AirflowClient(airflow_server.base_url, airflow_server.username, airflow_server.password) as client:
        wait_for_dags(client, [FLAKY, OK])
        listed = client.list_dags(page_size=1)  # one DAG a page: the paging is walked
        table = read_dag_tasks(client)
    assert {FLAKY, OK} <= {d.dag_id for d in listed} and len({d.dag_id for d in listed}) == len(listed)
    assert set(table["dag_id"]) == {d.dag_id for d in listed}
    ok = table.filter(table["dag_id"] == OK).select("task_id", "operator", "downstream_task_ids").rows()
    assert [(t, down) for t, _, down in ok] == [("extract", ["load"]), ("load", [])]
    flaky = table.filter(table["dag_id"] == FLAKY)["task_id"].to_list()
    assert flaky == ["needs_clear", "retried"]

"""AirflowResource: off without a URL, secrets from the environment, a working client inside a run."""

from __future__ import annotations

import dagster as dg
import pytest

from orc_ai.definitions import build_resources
from orc_ai.errors import ConfigError
from orc_ai.resources.airflow import AirflowResource
from orc_ai_tests.airflow_server import AirflowServer


def test_off_without_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ORC_AI_AIRFLOW_URL", raising=False)
    resource = build_resources()["airflow"]
    assert resource.enabled is False
    with dg.build_resources({"airflow": resource}) as built:
        with pytest.raises(ConfigError, match="ORC_AI_AIRFLOW_URL"):
            built.airflow.client()


def test_url_and_password_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORC_AI_AIRFLOW_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("ORC_AI_AIRFLOW_USER", "ops")
    monkeypatch.setenv("ORC_AI_AIRFLOW_PASSWORD", "pw-from-env")
    resource = build_resources()["airflow"]
    assert isinstance(resource.password, dg.EnvVar) and isinstance(resource.base_url, dg.EnvVar)
    with dg.build_resources({"airflow": resource}) as built:
        client = built.airflow.client()  # no request yet: nothing listens on port 1
        assert (client.base_url, client.username) == ("http://127.0.0.1:1", "ops")
        assert "pw-from-env" not in repr(client)


@pytest.mark.slow
def test_client_reaches_the_real_airflow(airflow_server: AirflowServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORC_AI_AIRFLOW_URL", airflow_server.base_url)
    monkeypatch.setenv("ORC_AI_AIRFLOW_USER", airflow_server.username)
    monkeypatch.setenv("ORC_AI_AIRFLOW_PASSWORD", airflow_server.password)
    with dg.build_resources({"airflow": build_resources()["airflow"]}) as built:
        client = built.airflow.client()
        assert client.token is None  # set up without a request
        runs = client.list_dag_runs(limit=1)  # logs in with the password from the environment
        assert client.token and runs.total_entries is not None and runs.total_entries >= 0


def test_unset_resource_is_not_usable_outside_a_run() -> None:
    with pytest.raises(ConfigError, match="not set up"):
        AirflowResource(base_url="http://127.0.0.1:1").client()

"""airflow_metadata_sensor without Airflow: off by default without a URL, and a tick then skips."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from orc_ai.resources.airflow import AirflowResource
from orc_ai.resources.local_state import LocalStateResource
from orc_ai.sensors.airflow import make_airflow_metadata_sensor


@pytest.mark.parametrize("url, status", [("", dg.DefaultSensorStatus.STOPPED),
                                         ("http://127.0.0.1:8080", dg.DefaultSensorStatus.RUNNING)])  # fmt: skip
def test_the_sensor_runs_by_default_only_when_an_airflow_url_is_configured(monkeypatch, url, status) -> None:
    monkeypatch.setenv("ORC_AI_AIRFLOW_URL", url)
    assert make_airflow_metadata_sensor().default_status == status


def test_the_sensor_skips_when_airflow_is_off(tmp_path: Path) -> None:
    resources = {"airflow": AirflowResource(), "state": LocalStateResource(home=str(tmp_path))}
    with dg.build_sensor_context(cursor="kept", resources=resources) as context:
        result = make_airflow_metadata_sensor()(context)
    assert isinstance(result, dg.SkipReason) and "ORC_AI_AIRFLOW_URL" in result.skip_message

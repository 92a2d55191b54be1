"""airflow_metadata_sensor's knobs come from environment variables with documented defaults; a bad value is a
clear configuration error naming the variable."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from airflow_bridge.errors import AirflowUnavailableError
from orc_ai import defaults
from orc_ai.errors import ConfigError
from orc_ai.resources.airflow import AirflowResource
from orc_ai.resources.local_state import LocalStateResource
from orc_ai.sensors import airflow as sensor_module
from orc_ai.settings import AIRFLOW_SENSOR_ENV, airflow_sensor_settings

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(autouse=True)
def _no_knobs_set(monkeypatch) -> None:
    for name in AIRFLOW_SENSOR_ENV.values():
        monkeypatch.delenv(name, raising=False)


def _pull_arguments(monkeypatch, tmp_path: Path, sensor: dg.SensorDefinition) -> dict:
    """The keyword arguments one tick passes to ``pull_task_runs`` (stopped there, as an Airflow that is down)."""
    seen = {}

    def pull(client, cursor, **kwargs):
        seen.update(kwargs)
        raise AirflowUnavailableError("GET /api/v2/...: connection refused")

    monkeypatch.setattr(sensor_module, "pull_task_runs", pull)
    resources = {
        "airflow": AirflowResource(base_url="http://127.0.0.1:9"),
        "state": LocalStateResource(home=str(tmp_path)),
    }
    with dg.build_sensor_context(resources=resources) as context:
        assert isinstance(sensor(context), dg.SkipReason)
    return seen


def test_unset_knobs_are_the_documented_defaults(monkeypatch, tmp_path: Path) -> None:
    sensor = sensor_module.make_airflow_metadata_sensor()
    assert sensor.minimum_interval_seconds == defaults.AIRFLOW_SENSOR_INTERVAL_S == 30
    pulled = _pull_arguments(monkeypatch, tmp_path, sensor)
    assert pulled == {"page_size": 100, "budget_s": 20.0, "overlap_s": 120.0}


def test_the_knobs_come_from_the_environment(monkeypatch, tmp_path: Path) -> None:
    values = {"interval_s": "90", "page_size": "250", "budget_s": "5.5", "overlap_s": "0"}
    for field, raw in values.items():
        monkeypatch.setenv(AIRFLOW_SENSOR_ENV[field], raw)
    sensor = sensor_module.make_airflow_metadata_sensor()
    assert sensor.minimum_interval_seconds == 90
    assert _pull_arguments(monkeypatch, tmp_path, sensor) == {"page_size": 250, "budget_s": 5.5, "overlap_s": 0.0}
    tiny = sensor_module.make_airflow_metadata_sensor(page_size=2, budget_s=0)  # a caller's values win
    assert _pull_arguments(monkeypatch, tmp_path, tiny) == {"page_size": 2, "budget_s": 0.0, "overlap_s": 0.0}


@pytest.mark.parametrize(
    "field, raw, why",
    [
        ("interval_s", "0", "greater than or equal to 1"),
        ("interval_s", "often", "valid integer"),
        ("page_size", "2.5", "valid integer"),
        ("page_size", "5000", "less than or equal to 1000"),
        ("budget_s", "-1", "greater than or equal to 0"),
        ("budget_s", "nan", "finite number"),
        ("overlap_s", "two minutes", "valid number"),
    ],
)
def test_a_bad_value_is_a_clear_error_naming_the_variable(monkeypatch, field: str, raw: str, why: str) -> None:
    monkeypatch.setenv(AIRFLOW_SENSOR_ENV[field], raw)
    with pytest.raises(ConfigError, match=rf"{AIRFLOW_SENSOR_ENV[field]}='{raw}': .*{why}"):
        airflow_sensor_settings()
    with pytest.raises(ConfigError, match=AIRFLOW_SENSOR_ENV[field]):
        sensor_module.make_airflow_metadata_sensor()


def test_every_knob_has_a_readme_row() -> None:
    rows = [line for line in README.read_text().splitlines() if line.startswith("| `ORC_AI_AIRFLOW_")]
    for name in AIRFLOW_SENSOR_ENV.values():
        assert any(f"`{name}`" in row for row in rows), name

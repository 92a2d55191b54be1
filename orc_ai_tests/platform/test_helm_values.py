"""helm-values.yaml: every key is one the Dagster chart reads, and the instance config it implies is valid for
dagster's and dagster-k8s's own config schemas (launcher, coordinator, Postgres storage, pools)."""

import copy
import importlib
from typing import Any

import pytest
import yaml
from dagster._config import validate_config
from dagster._config.field_utils import convert_potential_field
from dagster._core.instance.config import dagster_instance_config_schema, validate_concurrency_config

from orc_ai_tests.platform.chart import (
    REPO,
    chart_value_names,
    implied_instance,
    load_values,
    unknown_value_keys,
)

CONFIGURABLE = ["run_launcher", "run_storage", "event_log_storage", "schedule_storage", "run_coordinator"]


@pytest.fixture(scope="module")
def values() -> dict[str, Any]:
    return load_values()


def instance_errors(instance: dict[str, Any]) -> list[str]:
    """Errors dagster would raise loading ``instance`` as dagster.yaml: the instance schema, then each
    configurable class's own config schema (K8sRunLauncher, QueuedRunCoordinator, the Postgres storages)."""
    result = validate_config(convert_potential_field(dagster_instance_config_schema()).config_type, instance)
    if not result.success:
        return [e.message for e in result.errors]
    errors = []
    for section in CONFIGURABLE:
        entry = instance[section]
        cls = getattr(importlib.import_module(entry["module"]), entry["class"])
        checked = validate_config(convert_potential_field(cls.config_type()).config_type, entry["config"])
        errors += [f"{section}: {e.message}" for e in checked.errors or []]
    validate_concurrency_config(instance)
    return errors


def test_every_values_key_is_a_chart_value_name(values: dict[str, Any]) -> None:
    assert unknown_value_keys(values, chart_value_names()) == []


@pytest.mark.parametrize(
    ("path", "typo"),
    [
        (["runLauncher", "config", "k8sRunLauncher"], ("loadInclusterConfig", "loadInClusterConfig")),
        (["dagster-user-deployments", "deployments", 0], ("envSecrets", "env_secrets")),
        (["dagsterDaemon", "runMonitoring"], ("startTimeoutSeconds", "startTimeoutSecs")),
        (["concurrency", "runs"], ("maxConcurrentRuns", "maxConcurentRuns")),
        (["concurrency", "pools"], ("defaultLimit", "default_limit")),
    ],
)
def test_a_misspelled_key_is_reported(values: dict[str, Any], path: list, typo: tuple[str, str]) -> None:
    broken = copy.deepcopy(values)
    node = broken
    for step in path:
        node = node[step]
    node[typo[1]] = node.pop(typo[0])
    unknown = unknown_value_keys(broken, chart_value_names())
    assert len(unknown) == 1 and unknown[0].endswith(typo[1])


def test_the_implied_instance_is_valid_for_dagster_and_dagster_k8s(values: dict[str, Any]) -> None:
    instance = implied_instance(values)
    assert instance["run_launcher"]["class"] == "K8sRunLauncher"
    assert instance["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert {instance[s]["module"].split(".")[0] for s in CONFIGURABLE[1:4]} == {"dagster_postgres"}
    assert instance_errors(instance) == []


@pytest.mark.parametrize(
    "break_launcher",
    [
        lambda c: c.update(load_incluster_config="yes"),  # not a bool
        lambda c: c.update(job_namspace="orc-ai"),  # no such field
        lambda c: c.pop("instance_config_map"),  # required
    ],
    ids=["wrong-type", "unknown-field", "missing-required"],
)
def test_an_invalid_launcher_config_is_rejected(values: dict[str, Any], break_launcher) -> None:
    instance = implied_instance(values)
    break_launcher(instance["run_launcher"]["config"])
    errors = instance_errors(instance)
    assert errors and all(e.startswith("run_launcher:") for e in errors)


def test_an_invalid_pool_granularity_is_rejected(values: dict[str, Any]) -> None:
    instance = implied_instance(values)
    instance["concurrency"]["pools"]["granularity"] = "step"
    with pytest.raises(Exception, match="granularity"):
        instance_errors(instance)


def test_no_secret_value_is_written_in_the_values(values: dict[str, Any]) -> None:
    assert "postgresqlPassword" not in values["postgresql"]
    assert values["generatePostgresqlPasswordSecret"] is False
    env = values["dagster-user-deployments"]["deployments"][0]["env"]
    assert not [e["name"] for e in env if any(w in e["name"] for w in ("PASSWORD", "TOKEN", "API_KEY"))]


def test_pools_in_the_values_match_the_instance_config_of_the_repo(values: dict[str, Any]) -> None:
    """Local and Kubernetes instances limit the pools the same way (dagster.yaml is the instance helper's)."""
    local = (yaml.safe_load((REPO / "dagster.yaml").read_text()) or {}).get("concurrency", {}).get("pools")
    if not local:
        pytest.skip("dagster.yaml sets no pools yet")
    ours = implied_instance(values)["concurrency"]["pools"]
    assert {k: ours.get(k) for k in ("default_limit", "granularity") if k in local} == {
        k: local[k] for k in ("default_limit", "granularity") if k in local
    }

"""helm-values.yaml read the way the Dagster chart reads it: its key paths, and the dagster.yaml it renders.

The chart is not installed here (no helm, no network), so the chart's side is written out by hand: its value
names in data/dagster_chart_value_names.txt, and `implied_instance`, which follows the chart's instance
ConfigMap template (helm/dagster/templates/configmap-instance.yaml and helpers/instance/*.tpl in
dagster-io/dagster) for the sections helm-values.yaml sets.
"""

from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
VALUES_PATH = REPO / "helm-values.yaml"
NAMES_PATH = Path(__file__).with_name("data") / "dagster_chart_value_names.txt"
# what the chart's templates fill in from the release: `helm install orc-ai ... -n orc-ai`
RELEASE_NAMESPACE = "orc-ai"
SERVICE_ACCOUNT = "orc-ai-dagster"


def load_values(path: Path = VALUES_PATH) -> dict[str, Any]:
    """The values file as Helm parses it (YAML)."""
    return yaml.safe_load(path.read_text())


def chart_value_names(path: Path = NAMES_PATH) -> tuple[set[str], set[str]]:
    """The chart's key paths: (named paths, prefixes whose subtree is a Kubernetes object or free-form map)."""
    lines = [line.strip() for line in path.read_text().splitlines()]
    names = {line for line in lines if line and not line.startswith("#")}
    opaque = {name[: -len(".*")] for name in names if name.endswith(".*")}
    return {name for name in names if not name.endswith(".*")} | opaque, opaque


def unknown_value_keys(values: dict[str, Any], names: tuple[set[str], set[str]]) -> list[str]:
    """Every key path of ``values`` that the chart does not name (a typo is silently ignored by Helm)."""
    known, opaque = names
    unknown: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, child in node.items():
                child_path = f"{path}.{key}" if path else str(key)
                if child_path not in known:
                    unknown.append(child_path)
                elif child_path not in opaque:
                    walk(child, child_path)
        elif isinstance(node, list):
            for item in node:
                walk(item, f"{path}[]")

    walk(values, "")
    return unknown


def _postgres_config(values: dict[str, Any]) -> dict[str, Any]:
    pg = values["postgresql"]
    return {"postgres_db": {
        "username": pg["postgresqlUsername"],
        "password": {"env": "DAGSTER_PG_PASSWORD"},  # the chart's pods read it from global.postgresqlSecretName
        "hostname": pg["postgresqlHost"],
        "db_name": pg["postgresqlDatabase"],
        "port": pg["service"]["port"],
        "params": pg.get("postgresqlParams", {}),
    }}


_RUN_K8S_CONFIG_KEYS = {  # runK8sConfig's value names -> K8sRunLauncher's run_k8s_config fields
    "containerConfig": "container_config", "podSpecConfig": "pod_spec_config",
    "podTemplateSpecMetadata": "pod_template_spec_metadata", "jobSpecConfig": "job_spec_config",
    "jobMetadata": "job_metadata",
}


def _k8s_run_launcher(values: dict[str, Any]) -> dict[str, Any]:
    launcher = values["runLauncher"]["config"]["k8sRunLauncher"]
    config: dict[str, Any] = {
        "load_incluster_config": launcher["loadInclusterConfig"],
        "job_namespace": launcher.get("jobNamespace") or RELEASE_NAMESPACE,
        "image_pull_policy": launcher["imagePullPolicy"],
        "service_account_name": SERVICE_ACCOUNT,
        "dagster_home": {"env": "DAGSTER_HOME"},
        "instance_config_map": {"env": "DAGSTER_K8S_INSTANCE_CONFIG_MAP"},
        "postgres_password_secret": {"env": "DAGSTER_K8S_PG_PASSWORD_SECRET"},
        "env_config_maps": [{"env": "DAGSTER_K8S_PIPELINE_RUN_ENV_CONFIGMAP"}]
        + [m["name"] for m in launcher.get("envConfigMaps", []) if "name" in m],
    }
    optional = {"kubeconfigFile": "kubeconfig_file", "envVars": "env_vars", "volumeMounts": "volume_mounts",
                "volumes": "volumes", "labels": "labels", "failPodOnRunFailure": "fail_pod_on_run_failure",
                "resources": "resources", "schedulerName": "scheduler_name", "securityContext": "security_context"}
    config |= {field: launcher[key] for key, field in optional.items() if launcher.get(key)}
    if secrets := [s["name"] for s in launcher.get("envSecrets", []) if "name" in s]:
        config["env_secrets"] = secrets
    if run_k8s := launcher.get("runK8sConfig"):
        config["run_k8s_config"] = {_RUN_K8S_CONFIG_KEYS[k]: v for k, v in run_k8s.items()}
    return {"module": "dagster_k8s", "class": "K8sRunLauncher", "config": config}


def _queued_run_coordinator(values: dict[str, Any]) -> dict[str, Any]:
    queued = values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    names = {"maxConcurrentRuns": "max_concurrent_runs", "tagConcurrencyLimits": "tag_concurrency_limits",
             "dequeueIntervalSeconds": "dequeue_interval_seconds", "dequeueNumWorkers": "dequeue_num_workers",
             "dequeueUseThreads": "dequeue_use_threads"}
    config = {field: queued[key] for key, field in names.items() if queued.get(key) is not None}
    if block := queued.get("blockOpConcurrencyLimitedRuns"):
        config["block_op_concurrency_limited_runs"] = {
            "enabled": block["enabled"], "op_concurrency_slot_buffer": block["opConcurrencySlotBuffer"]}
    return {"module": "dagster._core.run_coordinator", "class": "QueuedRunCoordinator", "config": config}


def implied_instance(values: dict[str, Any]) -> dict[str, Any]:
    """The dagster.yaml the chart renders from ``values`` (the sections helm-values.yaml sets)."""
    if values["runLauncher"]["type"] != "K8sRunLauncher":
        raise ValueError(f"runLauncher.type {values['runLauncher']['type']!r}: only K8sRunLauncher is rendered here")
    storage = _postgres_config(values)
    instance: dict[str, Any] = {
        "run_launcher": _k8s_run_launcher(values),
        "run_storage": {"module": "dagster_postgres.run_storage", "class": "PostgresRunStorage", "config": storage},
        "event_log_storage": {"module": "dagster_postgres.event_log", "class": "PostgresEventLogStorage",
                              "config": storage},
        "schedule_storage": {"module": "dagster_postgres.schedule_storage", "class": "PostgresScheduleStorage",
                             "config": storage},
        "telemetry": {"enabled": values.get("telemetry", {}).get("enabled", True)},
    }
    daemon = values["dagsterDaemon"]
    if daemon["enabled"] and daemon["runCoordinator"]["enabled"]:
        instance["run_coordinator"] = _queued_run_coordinator(values)
    if daemon["enabled"] and daemon.get("runMonitoring", {}).get("enabled"):
        monitoring = daemon["runMonitoring"]
        instance["run_monitoring"] = {
            "enabled": True, "start_timeout_seconds": monitoring["startTimeoutSeconds"],
            "max_resume_run_attempts": monitoring.get("maxResumeRunAttempts", 0),
            "poll_interval_seconds": monitoring["pollIntervalSeconds"]}
    if daemon["enabled"] and daemon.get("runRetries", {}).get("enabled"):
        instance["run_retries"] = {"enabled": True, "max_retries": daemon["runRetries"].get("maxRetries", 0)}
    if values.get("concurrency", {}).get("enabled"):
        pools = values["concurrency"].get("pools", {})
        names = {"defaultLimit": "default_limit", "granularity": "granularity",
                 "opGranularityRunBuffer": "op_granularity_run_buffer"}
        instance["concurrency"] = {"pools": {field: pools[key] for key, field in names.items() if key in pools}}
        if (runs := values["concurrency"].get("runs", {})).get("maxConcurrentRuns") is not None:
            instance["concurrency"]["runs"] = {"max_concurrent_runs": runs["maxConcurrentRuns"]}
        if runs.get("tagConcurrencyLimits"):
            instance["concurrency"].setdefault("runs", {})["tag_concurrency_limits"] = runs["tagConcurrencyLimits"]
    return instance

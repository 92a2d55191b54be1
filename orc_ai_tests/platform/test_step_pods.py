"""Per-step pods in Kubernetes: the pools and dagster-k8s/config tags on the assets, the Job dagster-k8s builds
for each step from helm-values.yaml, and the executor the code location picks."""

import json
from typing import Any

import dagster as dg
import pytest
from dagster._config import validate_config
from dagster_k8s import k8s_job_executor
from dagster_k8s.container_context import K8sContainerContext
from dagster_k8s.job import (
    DagsterK8sJobConfig,
    UserDefinedDagsterK8sConfig,
    construct_dagster_k8s_job,
    get_user_defined_k8s_config,
)
from kubernetes.utils import parse_quantity

from orc_ai import defaults
from orc_ai.assets import step_resources
from orc_ai.definitions import defs
from orc_ai.errors import ConfigError
from orc_ai_tests.platform.chart import implied_instance, load_values

# the design: which steps call the LLM, write the Neo4j graph, embed with the local model
LLM_STEPS = {"entities", "communities", "agent_decisions"}
NEO4J_WRITERS = {"neo4j_graph", "communities", "workflow_graph", "agent_decisions"}
EMBEDDING_STEPS = {"embeddings"}
SECRETS = {"orc-ai-neo4j", "orc-ai-openai", "orc-ai-slack", "orc-ai-airflow"}


@pytest.fixture(scope="module")
def ops() -> dict[str, dg.OpDefinition]:
    job = defs.resolve_job_def("knowledge_graph")
    return {node.definition.name: node.definition for node in job.graph.node_dict.values()}


@pytest.fixture(scope="module")
def values() -> dict[str, Any]:
    return load_values()


def step_job(values: dict[str, Any], op_tags: dict[str, str]) -> Any:
    """The Kubernetes Job the k8s_job_executor launches for a step with ``op_tags``, merged in its order: the run
    launcher's config, the code location's container context (includeConfigInLaunchedRuns), the step's tags."""
    launcher = implied_instance(values)["run_launcher"]["config"]
    deployment = values["dagster-user-deployments"]["deployments"][0]
    context = K8sContainerContext(
        env_secrets=launcher.get("env_secrets"), resources=launcher.get("resources"),
        run_k8s_config=UserDefinedDagsterK8sConfig.from_dict(launcher.get("run_k8s_config", {})),
    ).merge(K8sContainerContext(
        env=deployment["env"], env_secrets=[s["name"] for s in deployment["envSecrets"]],
        volumes=deployment["volumes"], volume_mounts=deployment["volumeMounts"], resources=deployment["resources"],
    )).merge(K8sContainerContext(run_k8s_config=get_user_defined_k8s_config(op_tags)))
    job_config = DagsterK8sJobConfig(
        job_image="ghcr.io/orc-ai/orc-ai:0.1.0", dagster_home="/opt/dagster/dagster_home",
        instance_config_map="orc-ai-dagster-instance", postgres_password_secret="dagster-postgresql-secret",
    )
    return construct_dagster_k8s_job(job_config, ["dagster", "api", "execute_step"], "orc-ai-step",
                                     user_defined_k8s_config=context.run_k8s_config, component="step_worker")


def test_llm_and_neo4j_steps_are_in_their_pools(ops: dict[str, dg.OpDefinition]) -> None:
    pools = {name: op.pool for name, op in ops.items() if op.pool}
    # a step has one pool: those that both call the LLM and write the graph take the write pool (see
    # step_resources); entities is the one step that only calls the LLM
    assert pools == {name: defaults.NEO4J_WRITE_POOL for name in NEO4J_WRITERS} | {
        "entities": defaults.LLM_POOL}


def test_embedding_and_llm_steps_ask_for_more_than_the_default(ops: dict[str, dg.OpDefinition], values) -> None:
    default = values["dagster-user-deployments"]["deployments"][0]["resources"]["requests"]
    tagged = {name for name, op in ops.items() if step_resources.K8S_CONFIG_TAG in op.tags}
    assert tagged == LLM_STEPS | EMBEDDING_STEPS
    for name in tagged:
        requests = json.loads(ops[name].tags[step_resources.K8S_CONFIG_TAG])["container_config"]["resources"]
        assert parse_quantity(requests["requests"]["cpu"]) > parse_quantity(default["cpu"]), name
        assert parse_quantity(requests["requests"]["memory"]) >= parse_quantity(default["memory"]), name


def test_every_step_pod_gets_its_resources_the_secrets_and_the_shared_volume(ops, values) -> None:
    deployment = values["dagster-user-deployments"]["deployments"][0]
    for name, op in ops.items():
        job = step_job(values, op.tags)
        pod = job.spec.template.spec
        container = pod.containers[0]
        tag = json.loads(op.tags.get(step_resources.K8S_CONFIG_TAG, "{}"))
        expected = tag["container_config"]["resources"] if tag else deployment["resources"]
        assert container.resources.requests == expected["requests"], name
        assert container.resources.limits == expected["limits"], name
        assert {source.secret_ref.name for source in container.env_from if source.secret_ref} >= SECRETS
        assert {(e.name, e.value) for e in container.env} >= {("ORC_AI_EXECUTOR", "k8s"), ("HF_HUB_OFFLINE", "1")}
        assert [(m.name, m.mount_path) for m in container.volume_mounts if m.name == "orc-ai-data"] == [
            ("orc-ai-data", "/data")]
        assert pod.security_context.fs_group == 10001 and pod.security_context.run_as_non_root
        assert job.spec.ttl_seconds_after_finished == 86400


def test_a_misspelled_step_tag_is_rejected() -> None:
    with pytest.raises(dg.DagsterInvalidConfigError):
        get_user_defined_k8s_config({step_resources.K8S_CONFIG_TAG: json.dumps({"containr_config": {}})})
    bad = {step_resources.K8S_CONFIG_TAG: json.dumps({"container_config": {"resourcs": {}}})}
    with pytest.raises(Exception, match="Unexpected keys in model class V1Container"):
        step_job(load_values(), bad)


def test_local_runs_keep_the_default_executor_and_the_deployment_gets_k8s(monkeypatch) -> None:
    assert defs.resolve_job_def("knowledge_graph").executor_def.name == "multi_or_in_process_executor"
    monkeypatch.delenv(step_resources.EXECUTOR_ENV, raising=False)
    assert step_resources.deployment_executor() is None
    monkeypatch.setenv(step_resources.EXECUTOR_ENV, "k8s")
    executor = step_resources.deployment_executor()
    assert executor is not None and executor.name == "orc_ai_k8s"
    checked = validate_config(k8s_job_executor.config_schema.config_type, step_resources.K8S_EXECUTOR_CONFIG)
    assert checked.success, checked.errors
    monkeypatch.setenv(step_resources.EXECUTOR_ENV, "in_process")  # a one-machine daemon: steps share a process
    assert step_resources.deployment_executor() is dg.in_process_executor
    monkeypatch.setenv(step_resources.EXECUTOR_ENV, "celery")
    with pytest.raises(ConfigError, match="ORC_AI_EXECUTOR"):
        step_resources.deployment_executor()

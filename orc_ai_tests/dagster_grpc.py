"""The code location of the repo's workspace.yaml served as a gRPC code server (``dagster api grpc``), and a
dagster-webserver whose workspace file loads it from that server (a ``grpc_server:`` entry), as processes for tests.

The instance (a temp DAGSTER_HOME) uses the DefaultRunCoordinator, as orc_ai_tests/dagster_server.py explains:
a run launched from the UI starts at once, in a subprocess of the code server, with no daemon.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml
from dagster._core.remote_origin import ManagedGrpcPythonEnvCodeLocationOrigin
from dagster._core.workspace.load_target import WorkspaceFileTarget
from dagster._grpc.client import DagsterGrpcClient

from orc_ai_tests.dagster_server import INSTANCE_YAML, REPO
from orc_ai_tests.neo4j_server import free_port
from orc_ai_tests.processes import stop_group

BIN = Path(sys.executable).parent


def workspace_origin(path: Path = REPO / "workspace.yaml") -> ManagedGrpcPythonEnvCodeLocationOrigin:
    """The one code location ``path`` loads, parsed by Dagster's own workspace loader."""
    origins = WorkspaceFileTarget(paths=[str(path)]).create_origins()
    if len(origins) != 1 or not isinstance(origins[0], ManagedGrpcPythonEnvCodeLocationOrigin):
        raise ValueError(f"{path} should load one Python code location, got {origins!r}")
    return origins[0]


def write_instance(dagster_home: Path) -> None:
    """``dagster_home/dagster.yaml``: no telemetry, the DefaultRunCoordinator (runs start without a daemon)."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    (dagster_home / "dagster.yaml").write_text(INSTANCE_YAML)


def _target_args(origin: ManagedGrpcPythonEnvCodeLocationOrigin) -> list[str]:
    target = origin.loadable_target_origin
    flags = {"-m": target.module_name, "-f": target.python_file, "--package-name": target.package_name,
             "-a": target.attribute, "-d": target.working_directory}
    return [arg for flag, value in flags.items() if value for arg in (flag, value)]


def _wait(ready, proc: subprocess.Popen, log_path: Path, what: str, timeout: float, stop) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop()
            tail = log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{what} did not start:\n{tail}")
        time.sleep(0.5)


class GrpcCodeServer:
    """``dagster api grpc`` serving ``origin`` (from workspace.yaml) on a free loopback port; ``env`` is the
    whole environment of the server and of the runs it launches (its DAGSTER_HOME needs ``write_instance``)."""

    def __init__(self, origin: ManagedGrpcPythonEnvCodeLocationOrigin, env: dict[str, str], log_path: Path):
        self.origin, self.env, self.log_path = origin, env, log_path
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def location_name(self) -> str:
        return self.origin.location_name

    def _answers(self) -> bool:
        try:
            return DagsterGrpcClient(port=self.port, host="127.0.0.1").ping("ready")["echo"] == "ready"
        except Exception:  # any gRPC error: not serving yet
            return False

    def start(self, timeout: float = 300) -> None:
        args = [str(BIN / "dagster"), "api", "grpc", *_target_args(self.origin), "--location-name",
                self.location_name, "-h", "127.0.0.1", "-p", str(self.port)]
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                     start_new_session=True)
        _wait(self._answers, self.proc, self.log_path, "dagster api grpc", timeout, self.stop)

    def stop(self) -> None:
        """SIGTERM to the server's process group (it and the runs it launched); SIGKILL after 10 s."""
        stop_group(self.proc, 10)


class GrpcWorkspaceWebserver:
    """dagster-webserver on a free loopback port with a workspace file of one ``grpc_server:`` entry pointing at
    ``code_server``, and ``dagster_home`` (DefaultRunCoordinator) as its instance."""

    def __init__(self, code_server: GrpcCodeServer, dagster_home: Path, log_path: Path):
        self.code_server, self.dagster_home, self.log_path = code_server, dagster_home, log_path
        self.port = free_port()
        self.workspace = dagster_home / "grpc_workspace.yaml"
        self.proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        """The ``data`` of a GraphQL answer; errors raise."""
        answer = httpx.post(f"{self.base_url}/graphql", json={"query": query, "variables": variables or {}},
                            timeout=30).json()
        if answer.get("errors"):
            raise RuntimeError(f"GraphQL errors: {answer['errors']}")
        return answer["data"]

    def _loaded(self) -> bool:
        try:
            found = self.graphql("{ repositoriesOrError { ... on RepositoryConnection { nodes { name } } } }")
            return bool(found["repositoriesOrError"].get("nodes"))
        except (httpx.HTTPError, ValueError, KeyError, TypeError, RuntimeError):
            return False

    def start(self, timeout: float = 240) -> None:
        write_instance(self.dagster_home)
        entry = {"host": "127.0.0.1", "port": self.code_server.port, "location_name": self.code_server.location_name}
        self.workspace.write_text(yaml.safe_dump({"load_from": [{"grpc_server": entry}]}))
        log = open(self.log_path, "ab")
        env = {**os.environ, "DAGSTER_HOME": str(self.dagster_home)}
        self.proc = subprocess.Popen(
            [str(BIN / "dagster-webserver"), "-w", str(self.workspace), "-h", "127.0.0.1", "-p", str(self.port)],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
        _wait(self._loaded, self.proc, self.log_path, "dagster-webserver", timeout, self.stop)

    def stop(self) -> None:
        stop_group(self.proc, 10)

"""The deployment as processes for tests: dagster-webserver and dagster-daemon on the repo's dagster.yaml over a
real PostgreSQL, serving the code location of workspace.yaml (orc_ai.definitions, location ``orc_ai``).

Unlike orc_ai_tests/dagster_server.py (default run coordinator, no daemon), runs here are queued and the daemon
dequeues them, ticks the sensors (RUNNING by default) and evaluates declarative automation, as in production.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from orc_ai_tests.neo4j_server import free_port
from orc_ai_tests.postgres_server import PostgresSettings
from orc_ai_tests.processes import stop_group

REPO = Path(__file__).resolve().parent.parent
LOCATION = "orc_ai"  # workspace.yaml's location_name
REPOSITORY = "__repository__"  # a module's single Definitions object


class DagsterDeployment:
    """Webserver and daemon with ``dagster_home`` (the repo's dagster.yaml linked in), ``orc_home`` and
    ``docs_dir`` (the documents folder) in their environment, on the Postgres of ``pg``."""

    def __init__(self, root: Path, pg: PostgresSettings, orc_home: Path, docs_dir: Path):
        self.root, self.pg, self.orc_home, self.docs_dir = root, pg, orc_home, docs_dir
        self.dagster_home = root / "dagster_home"
        self.port = free_port()
        self.webserver: subprocess.Popen | None = None
        self.daemon: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """What the processes (and an in-test DagsterInstance of the same deployment) need in the environment."""
        return {
            "DAGSTER_HOME": str(self.dagster_home),
            "ORC_AI_HOME": str(self.orc_home),
            "ORC_AI_DOCS_DIR": str(self.docs_dir),
            "ORC_AI_EXECUTOR": "in_process",  # one process per run, not one per step
            **self.pg.env,
        }

    def prepare_home(self) -> None:
        self.dagster_home.mkdir(parents=True, exist_ok=True)
        link = self.dagster_home / "dagster.yaml"
        if not link.exists():
            link.symlink_to(REPO / "dagster.yaml")  # as scripts/lib.sh's use_dagster_home links it

    def _spawn(self, args: list[str], log_name: str) -> subprocess.Popen:
        bin_dir = Path(sys.executable).parent
        log = open(self.root / log_name, "ab")
        return subprocess.Popen(
            [str(bin_dir / args[0]), *args[1:]],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **self.env},
            start_new_session=True,
        )

    def spawn_webserver(self) -> None:
        """Start dagster-webserver without waiting (it loads the code location meanwhile): see wait_webserver."""
        self.prepare_home()
        self.webserver = self._spawn(
            ["dagster-webserver", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(self.port)], "webserver.log"
        )

    def wait_webserver(self, timeout: float = 600) -> None:
        """Until GraphQL answers with the loaded repository; stops everything and raises past ``timeout``."""
        assert self.webserver is not None, "spawn_webserver first"
        deadline = time.monotonic() + timeout
        while True:
            try:
                answer = self.graphql("{ repositoriesOrError { __typename } }")
                if answer["repositoriesOrError"]["__typename"] == "RepositoryConnection":
                    return
            except (httpx.HTTPError, ValueError, KeyError, TypeError, RuntimeError):
                pass
            if self.webserver.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"dagster-webserver did not start:\n{self.log_tail('webserver.log')}")
            time.sleep(1)

    def start_daemon(self) -> None:
        """dagster-daemon run: the run queue, sensors and automation (its own code server loads the location)."""
        self.prepare_home()
        self.daemon = self._spawn(["dagster-daemon", "run", "-w", "workspace.yaml"], "daemon.log")

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        answer = httpx.post(f"{self.base_url}/graphql", json={"query": query, "variables": variables or {}}, timeout=30)
        body = answer.json()
        if body.get("errors"):
            raise RuntimeError(f"GraphQL errors: {body['errors']}")
        return body["data"]

    def set_sensor_cursor(self, sensor: str, cursor: str) -> None:
        """What an operator does in the UI (or with `dagster sensor cursor --set`): start a sensor from a cursor."""
        data = self.graphql(
            """mutation($selector: SensorSelector!, $cursor: String) {
                 setSensorCursor(sensorSelector: $selector, cursor: $cursor) {
                   __typename ... on PythonError { message } ... on SensorNotFoundError { message } } }""",
            {
                "selector": {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY, "sensorName": sensor},
                "cursor": cursor,
            },
        )
        if data["setSensorCursor"]["__typename"] != "Sensor":
            raise RuntimeError(f"setSensorCursor({sensor}) failed: {data['setSensorCursor']}")

    def log_tail(self, name: str, chars: int = 3000) -> str:
        path = self.root / name
        return path.read_text(errors="replace")[-chars:] if path.exists() else f"({name} missing)"

    def check_alive(self) -> None:
        """Raise with the log when the webserver or daemon died (a poll loop calls this each round)."""
        for proc, name in ((self.webserver, "webserver.log"), (self.daemon, "daemon.log")):
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"{name.split('.')[0]} exited ({proc.returncode}):\n{self.log_tail(name)}")

    def stop(self) -> None:
        """SIGTERM to each process group (with their code servers and run workers); SIGKILL after 15 s."""
        stop_group(self.daemon, 15)
        stop_group(self.webserver, 15)

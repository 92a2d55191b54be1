"""A real dagster-webserver serving the orc_ai.definitions code location, as a process for tests.

Its instance (a temp DAGSTER_HOME) uses Dagster's DefaultRunCoordinator: a run launched through GraphQL starts
at once in a subprocess of the webserver, so no dagster-daemon is needed. Dagster's default, the
QueuedRunCoordinator (which the repo's dagster.yaml configures), leaves runs QUEUED until the daemon dequeues
them, and the daemon would also tick the code location's automation sensor (RUNNING by default) and
materialise everything downstream of what a test launched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from orc_ai_tests.neo4j_server import free_port
from orc_ai_tests.processes import stop_group

REPO = Path(__file__).resolve().parent.parent
INSTANCE_YAML = """\
telemetry:
  enabled: false
run_coordinator:
  module: dagster.core.run_coordinator
  class: DefaultRunCoordinator
"""


class DagsterWebserver:
    """dagster-webserver -m orc_ai.definitions on a free loopback port, with ``dagster_home`` and ``orc_home``
    (and ``docs_dir`` as the documents folder) in its environment."""

    def __init__(self, dagster_home: Path, orc_home: Path, docs_dir: Path, log_path: Path):
        self.dagster_home, self.orc_home, self.docs_dir, self.log_path = dagster_home, orc_home, docs_dir, log_path
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DAGSTER_HOME": str(self.dagster_home),
            "ORC_AI_HOME": str(self.orc_home),
            "ORC_AI_DOCS_DIR": str(self.docs_dir),
        }

    def start(self, timeout: float = 240) -> None:
        self.dagster_home.mkdir(parents=True, exist_ok=True)
        (self.dagster_home / "dagster.yaml").write_text(INSTANCE_YAML)
        bin_dir = Path(sys.executable).parent
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [str(bin_dir / "dagster-webserver"), "-m", "orc_ai.definitions", "-h", "127.0.0.1", "-p", str(self.port)],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        query = {"query": "{ repositoriesOrError { __typename } }"}
        while True:
            try:
                answer = httpx.post(f"{self.base_url}/graphql", json=query, timeout=5).json()
                if answer["data"]["repositoriesOrError"]["__typename"] == "RepositoryConnection":
                    return
            except (httpx.HTTPError, ValueError, KeyError, TypeError):
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = self.log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"dagster-webserver did not start:\n{tail}")
            time.sleep(1)

    def stop(self) -> None:
        """SIGTERM to the process group (the webserver, its code server and run processes); SIGKILL after 10 s."""
        stop_group(self.proc, 10)

"""A real Airflow 3.3 (scripts/airflow-server) as a process for the test session."""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from pathlib import Path

import httpx

from orc_ai_tests.neo4j_server import free_port
from orc_ai_tests.processes import stop_group

REPO = Path(__file__).resolve().parent.parent
AIRFLOW_BIN = REPO / ".cache" / "venvs" / "airflow" / "bin" / "airflow"
HEALTHY_PARTS = ("metadatabase", "scheduler", "dag_processor")
# Test-only Airflow settings (a caller's environment wins). The DAG processor re-parses every file every
# min_file_process_interval (default 30 s): on a 2-core CI machine that is CPU the test runs' tasks and Dagster
# runs wait for, and a test that adds or rewrites a DAG file is parsed at once anyway (new and modified files
# skip the interval; the folder is listed every 5 s, scripts/airflow-server).
# A task's supervisor gives up (and SIGKILLs the task before it starts) when the api-server's execution API does
# not answer within execution_api_timeout, 5 attempts: a loaded machine starves the one api-server process.
TEST_AIRFLOW_ENV = {
    "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "600",
    "AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT": "60",
}


class AirflowServer:
    """api-server, scheduler and dag-processor on a free loopback port, with a fresh SQLite home and a
    random password for the one admin user."""

    def __init__(self, home: Path, dags_dir: Path, log_path: Path, username: str = "orc_ai"):
        self.home, self.dags_dir, self.log_path = home, dags_dir, log_path
        self.username = username
        self.password = secrets.token_urlsafe(16)
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def jwt_secret(self) -> str:
        """The secret the server signs tokens with (tests forge expired tokens with it)."""
        return (self.home / "jwt_secret").read_text().strip()

    def health(self) -> dict:
        return httpx.get(f"{self.base_url}/api/v2/monitor/health", timeout=5).json()

    def start(self, timeout: float = 300) -> None:
        env = {
            **TEST_AIRFLOW_ENV,
            **os.environ,
            "ORC_AI_AIRFLOW_USER": self.username,
            "ORC_AI_AIRFLOW_PASSWORD": self.password,
            "ORC_AI_AIRFLOW_DAGS": str(self.dags_dir),
        }
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [str(REPO / "scripts/airflow-server"), str(self.port), str(self.home)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                health = self.health()
                if all((health.get(part) or {}).get("status") == "healthy" for part in HEALTHY_PARTS):
                    return
            except (httpx.HTTPError, ValueError):
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"airflow did not start:\n{self.log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(1)

    def stop(self) -> None:
        """SIGTERM to the whole process group (every component and task process); SIGKILL after 5 s."""
        stop_group(self.proc, 5)

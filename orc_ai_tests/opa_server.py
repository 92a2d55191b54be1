"""An OPA server (scripts/opa-server) as a process for tests: start on a free loopback port, stop its group."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx

from orc_ai_tests.neo4j_server import free_port
from orc_ai_tests.processes import stop_group

REPO = Path(__file__).resolve().parent.parent
OPA_VERSION = "v1.22.3"
OPA_BIN = REPO / ".cache/opa" / OPA_VERSION / "opa"


class OpaServer:
    """One ``opa run --server`` on the given policy folder (watched, so edits are reloaded)."""

    def __init__(self, policy_dir: Path, log_path: Path, port: int | None = None):
        self.policy_dir, self.log_path = policy_dir, log_path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout_s: float = 60) -> OpaServer:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [str(REPO / "scripts/opa-server"), str(self.port), str(self.policy_dir)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout_s
        while not self._healthy():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"OPA did not start:\n{self.log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        return self

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        stop_group(self.proc, 15)

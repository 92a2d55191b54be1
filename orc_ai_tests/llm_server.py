"""Start and stop a llama.cpp OpenAI-compatible server (scripts/llm-server) for tests."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from orc_ai_tests.neo4j_server import free_port

REPO = Path(__file__).resolve().parent.parent
LLM_VENV_PYTHON = REPO / ".cache/venvs/llm/bin/python"


class LlmServer:
    """One server process on a free loopback port; ``start`` waits until it answers ``/v1/models``."""

    def __init__(self, log_path: Path, port: int | None = None):
        self.log_path = log_path
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout_s: float = 180) -> LlmServer:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [str(REPO / "scripts/llm-server"), str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                urllib.request.urlopen(f"{self.base_url}/models", timeout=2).read()
                return self
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.kill()
                    raise RuntimeError(f"llm server did not start:\n{self.log_path.read_text()[-2000:]}") from None
                time.sleep(0.5)

    def kill(self) -> None:
        """SIGKILL the server's process group at once (a crash, as far as clients can tell)."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=20)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

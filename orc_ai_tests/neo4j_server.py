"""A Neo4j test server (scripts/neo4j-server) as a process: for the test session and the writer benchmark."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Neo4jServer:
    """A scripts/neo4j-server process: start, kill (as a crash would) and restart on the same data."""

    def __init__(self, data_dir: Path, log_path: Path):
        self.data_dir, self.log_path = data_dir, log_path
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def start(self, timeout: float = 240) -> None:
        with open(self.log_path, "a") as marker:
            marker.write("STARTING\n")
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [str(REPO / "scripts/neo4j-server"), str(self.port), str(self.data_dir)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while "NEO4J READY" not in self.log_path.read_text(errors="replace").split("STARTING")[-1]:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"neo4j did not start:\n{self.log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)

    def kill(self) -> None:
        """SIGKILL the whole process group: no clean shutdown."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()

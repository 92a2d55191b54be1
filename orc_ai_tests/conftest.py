"""Shared fixtures: temporary ORC AI homes, hostile input folders and the real llama.cpp server."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from orc_ai_tests.neo4j_server import Neo4jServer, free_port

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


def require_or_skip(reason: str) -> None:
    """Skip locally; fail in CI (ORC_AI_REQUIRE_SERVICES=1), where every real part must run."""
    if os.environ.get("ORC_AI_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Base URL of a llama.cpp OpenAI-compatible server started for this test session."""
    if not (REPO / ".cache/venvs/llm/bin/python").exists():
        require_or_skip("llama.cpp server venv missing: run scripts/setup-llm")
    port = free_port()
    log_path = tmp_path_factory.mktemp("llm") / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(REPO / "scripts/llm-server"), str(port)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(f"{base_url}/models", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL) if proc.poll() is None else None
                pytest.fail(f"llm server did not start:\n{log_path.read_text()[-2000:]}")
            time.sleep(0.5)
    yield base_url
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def start_neo4j(tmp_path_factory: pytest.TempPathFactory, name: str) -> Neo4jServer:
    if shutil.which("java") is None or shutil.which("mvn") is None:
        require_or_skip("java and mvn are needed for the Neo4j test server")
    root = tmp_path_factory.mktemp(name)
    server = Neo4jServer(root / "data", root / "server.log")
    server.start()
    return server


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Neo4jServer:
    """One Neo4j 5.26 server for the test session (scripts/neo4j-server)."""
    server = start_neo4j(tmp_path_factory, "neo4j")
    yield server
    server.stop()


@pytest.fixture
def orc_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh ORC_AI_HOME for one test."""
    home = tmp_path / "home"
    monkeypatch.setenv("ORC_AI_HOME", str(home))
    return home


@pytest.fixture
def sample_docs(tmp_path: Path) -> Path:
    """A writable copy of the bundled sample corpus."""
    from orc_ai.settings import BUNDLED_CORPUS_DIR

    target = tmp_path / "docs"
    shutil.copytree(BUNDLED_CORPUS_DIR, target)
    return target

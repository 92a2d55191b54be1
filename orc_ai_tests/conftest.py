"""Shared fixtures: temporary ORC AI homes, hostile input folders and the real servers (llama.cpp, Neo4j, Airflow)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from orc_ai_tests.airflow_server import AIRFLOW_BIN, AirflowServer
from orc_ai_tests.llm_server import LLM_VENV_PYTHON, LlmServer
from orc_ai_tests.neo4j_server import Neo4jServer
from orc_ai_tests.opa_server import OPA_BIN, OpaServer

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


# The longest modules in CI's --durations list. scripts/test runs modules on two xdist workers, handed out in
# collection order, so these go first: one of them starting last would leave a worker running it alone at the end.
LONGEST_MODULES = (
    "platform/test_automation_e2e.py",
    "airflow_bridge/test_bridge_dags.py",
    "checks/test_blocking_gates.py",
    "metrics/test_exporter.py",
    "agent/test_injection.py",
    "extract/test_llm_server.py",
    "graph/test_neo4j_store.py",
    "assets/test_knowledge_graph_chain.py",
    "assets/test_llm_assets.py",
    "extract/test_llm_interruption.py",
    "platform/test_dagster_ui.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest modules first, then the rest in their usual order (a stable sort keeps each module whole)."""
    rank = {REPO / "orc_ai_tests" / name: i for i, name in enumerate(LONGEST_MODULES)}
    items.sort(key=lambda item: rank.get(item.path, len(rank)))


def require_or_skip(reason: str) -> None:
    """Skip locally; fail in CI (ORC_AI_REQUIRE_SERVICES=1), where every real part must run."""
    if os.environ.get("ORC_AI_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Base URL of a llama.cpp OpenAI-compatible server started for this test session."""
    if not LLM_VENV_PYTHON.exists():
        require_or_skip("llama.cpp server venv missing: run scripts/setup-llm")
    server = LlmServer(tmp_path_factory.mktemp("llm") / "server.log")
    try:
        server.start()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield server.base_url
    server.stop()


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


def require_opa() -> Path:
    """The OPA binary scripts/setup-opa builds; skipped locally without it, a failure in CI."""
    if not OPA_BIN.exists():
        require_or_skip("OPA binary missing: run scripts/setup-opa")
    return OPA_BIN


@pytest.fixture(scope="session")
def opa_server(tmp_path_factory: pytest.TempPathFactory) -> OpaServer:
    """One OPA server for the test session, serving the repo's policy folder (scripts/opa-server)."""
    from orc_ai.policy.data import REGO_DIR

    require_opa()
    server = OpaServer(REGO_DIR, tmp_path_factory.mktemp("opa") / "server.log")
    try:
        server.start()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def airflow_server(tmp_path_factory: pytest.TempPathFactory) -> AirflowServer:
    """One Airflow 3.3 for the test session (scripts/airflow-server) with the test DAGs of
    orc_ai_tests/airflow_bridge/dags; a test may add DAG files to ``server.dags_dir``."""
    if not AIRFLOW_BIN.exists():
        require_or_skip("Airflow venv missing: run scripts/setup-airflow")
    root = tmp_path_factory.mktemp("airflow")
    dags = root / "dags"
    test_dags = REPO / "orc_ai_tests" / "airflow_bridge" / "dags"
    shutil.copytree(test_dags, dags, ignore=shutil.ignore_patterns("__pycache__"))
    server = AirflowServer(root / "home", dags, root / "server.log")
    try:
        server.start()
    except RuntimeError as exc:
        pytest.fail(str(exc))
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


@pytest.fixture(scope="session")
def dagster_webserver(tmp_path_factory: pytest.TempPathFactory):
    """One dagster-webserver serving orc_ai.definitions for the test session, with its own DAGSTER_HOME (default
    run coordinator: no daemon), ORC_AI_HOME and a copy of the sample corpus as documents folder."""
    from orc_ai.settings import BUNDLED_CORPUS_DIR
    from orc_ai_tests.dagster_server import DagsterWebserver

    root = tmp_path_factory.mktemp("dagster")
    shutil.copytree(BUNDLED_CORPUS_DIR, root / "docs")
    server = DagsterWebserver(root / "dagster_home", root / "orc_home", root / "docs", root / "webserver.log")
    try:
        server.start()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def bundled_chain(tmp_path_factory: pytest.TempPathFactory):
    """The chain as ``ChainRunner`` runs it by default, materialised once per session on a copy of the bundled
    corpus (no inbox). Tests read ``home`` and ``result``; one that writes copies the home first (``copy_home``)."""
    from orc_ai.settings import BUNDLED_CORPUS_DIR
    from orc_ai_tests.assets.conftest import BuiltChain, ChainRunner

    root = tmp_path_factory.mktemp("bundled_chain")
    docs = root / "docs"
    shutil.copytree(BUNDLED_CORPUS_DIR, docs)
    with pytest.MonkeyPatch.context() as monkeypatch:
        result = ChainRunner(monkeypatch).run(root / "home", docs)
    assert result.success, "the bundled corpus's chain failed"
    return BuiltChain(home=root / "home", docs=docs, result=result)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory):
    """A throwaway PostgreSQL cluster for the test session (scripts/postgres); ``.settings()`` connects to its
    database ``dagster``, ``.database(name)`` makes and connects to another."""
    import tempfile

    from orc_ai_tests.postgres_server import PostgresServer, postgres_installed

    if not postgres_installed() and os.environ.get("ORC_AI_REQUIRE_SERVICES") != "1":
        pytest.skip("PostgreSQL missing: scripts/postgres start installs Debian's postgresql")
    # in CI a missing postgresql is installed by scripts/postgres start (apt-get), a failure if that fails
    # under /tmp, not pytest's 0700 temp folder: as root the server runs as the postgres user, who must enter it
    root = Path(tempfile.mkdtemp(prefix="orc-ai-pg-"))
    server = PostgresServer(root, tmp_path_factory.mktemp("postgres") / "server.log")
    try:
        server.start()
    except RuntimeError as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(str(exc))
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)

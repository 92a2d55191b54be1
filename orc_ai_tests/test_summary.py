"""``python -m orc_ai.summary`` reports the configured graph store and leaves no driver open."""

from __future__ import annotations

from pathlib import Path

import pytest

from orc_ai.graph.neo4j_store import Neo4jGraphStore
from orc_ai_tests.assets.conftest import ChainRunner


@pytest.mark.slow
def test_summary_reads_the_configured_store(
    monkeypatch: pytest.MonkeyPatch, sample_docs: Path, bundled_chain, tmp_path: Path, capsys
) -> None:
    from orc_ai import summary

    home = tmp_path / "home"
    assert ChainRunner(monkeypatch).run(home, sample_docs, selection=["raw_docs", "quarantined_docs"]).success
    assert summary.main() == 1  # nothing downstream yet
    monkeypatch.setenv("ORC_AI_HOME", str(bundled_chain.copy_home(tmp_path / "built")))  # the whole chain
    assert summary.main() == 0
    out = capsys.readouterr().out
    assert "graph store      : embedded" in out and "'documents': 92" in out


@pytest.mark.slow
def test_a_store_opened_outside_a_run_is_closed(neo4j_server, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("ORC_AI_HOME", str(tmp_path))
    monkeypatch.setenv("ORC_AI_GRAPH_BACKEND", "neo4j")
    monkeypatch.setenv("ORC_AI_NEO4J_URI", neo4j_server.uri)
    from orc_ai.definitions import build_resources

    with build_resources()["graph_store"].open_store() as store:
        assert isinstance(store, Neo4jGraphStore)
        store.stats()
        driver = store.driver
    assert driver._closed

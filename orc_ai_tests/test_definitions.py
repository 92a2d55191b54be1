"""The code location loads, and every asset of the chain is gated by at least one blocking check."""

import dagster as dg
import pytest

from orc_ai import defaults
from orc_ai.definitions import defs
from orc_ai.errors import ConfigError

CHAIN = [
    "raw_docs", "chunks", "entities", "relations", "embeddings", "neo4j_graph", "communities", "agent_decisions",
    "reports",
]


def test_definitions_load_with_the_chain_and_jobs() -> None:
    repo = defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    assert set(CHAIN) | {"quarantined_docs"} <= keys
    assert defs.resolve_job_def("knowledge_graph") is not None
    assert defs.resolve_sensor_def("docs_folder_sensor") is not None


def test_every_chain_asset_has_a_blocking_check() -> None:
    blocking = {
        spec.asset_key.to_user_string() for checks in defs.asset_checks for spec in checks.check_specs if spec.blocking
    }
    assert set(CHAIN) <= blocking


def test_downstream_assets_are_materialised_automatically_when_inputs_change() -> None:
    graph = defs.get_repository_def().asset_graph
    for key in CHAIN[1:]:
        assert graph.get(dg.AssetKey(key)).automation_condition is not None, key


def test_neo4j_write_settings_come_from_the_environment(monkeypatch) -> None:
    from orc_ai.definitions import build_resources

    monkeypatch.setenv("ORC_AI_NEO4J_WRITE_CONCURRENCY", "4")
    monkeypatch.setenv("ORC_AI_NEO4J_BATCH_SIZE", "250")
    with dg.build_resources({"graph_store": build_resources()["graph_store"]}) as resources:
        assert (resources.graph_store.write_concurrency, resources.graph_store.batch_size) == (4, 250)
    monkeypatch.setenv("ORC_AI_NEO4J_WRITE_CONCURRENCY", "many")
    with pytest.raises(dg.DagsterInvalidConfigError):  # a bad value is a config error at run start, not a crash
        with dg.build_resources({"graph_store": build_resources()["graph_store"]}):
            pass
    monkeypatch.setenv("ORC_AI_NEO4J_WRITE_CONCURRENCY", "0")
    monkeypatch.setenv("ORC_AI_GRAPH_BACKEND", "neo4j")
    monkeypatch.setenv("ORC_AI_NEO4J_URI", "bolt://127.0.0.1:1")
    with pytest.raises(dg.DagsterResourceFunctionError) as raised:  # checked before any connection is tried
        with dg.build_resources({"graph_store": build_resources()["graph_store"]}):
            pass
    assert "must be at least 1" in str(raised.value.__cause__)


def test_the_llm_timeout_comes_from_the_environment(monkeypatch) -> None:
    from orc_ai.definitions import build_resources

    monkeypatch.setenv("ORC_AI_LLM_TIMEOUT_S", "7.5")
    with dg.build_resources({"llm": build_resources()["llm"]}) as resources:
        assert resources.llm.timeout_s == 7.5
    monkeypatch.setenv("ORC_AI_LLM_TIMEOUT_S", "soon")
    with pytest.raises(ConfigError, match="ORC_AI_LLM_TIMEOUT_S='soon' is not a number"):
        build_resources()
    monkeypatch.delenv("ORC_AI_LLM_TIMEOUT_S")
    with dg.build_resources({"llm": build_resources()["llm"]}) as resources:
        assert resources.llm.timeout_s == defaults.LLM_TIMEOUT_S

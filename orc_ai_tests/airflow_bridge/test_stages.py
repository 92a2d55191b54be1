"""The stage → asset mapping against the real code location, and the bridge's settings."""

from __future__ import annotations

import pytest

from airflow_bridge.stage_runner import BridgeSettings, bridge_settings
from airflow_bridge.stages import PENDING_ASSETS, STAGES, stage
from orc_ai import defaults
from orc_ai.definitions import defs

SEED_DAGS = [
    "data_ingestion_dag",
    "kg_build_dag",
    "agent_execution_dag",
    "output_delivery_dag",
    "monitoring_alerting_dag",
]


def defined_assets() -> set[str]:
    return {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}


def test_the_five_seed_stages_in_order() -> None:
    assert [s.dag_id for s in STAGES] == SEED_DAGS
    assert stage("kg_build").assets == ("entities", "relations", "embeddings", "neo4j_graph", "communities")
    with pytest.raises(KeyError, match="data_ingestion, kg_build"):
        stage("kg")


def test_every_mapped_asset_exists_except_the_pending_ones() -> None:
    mapped = [asset for s in STAGES for asset in s.assets]
    assert len(mapped) == len(set(mapped)), "an asset belongs to one stage"
    missing = set(mapped) - defined_assets()
    assert missing <= PENDING_ASSETS, f"mapped but not defined: {sorted(missing - PENDING_ASSETS)}"
    landed = PENDING_ASSETS & defined_assets()
    assert not landed, f"now defined, take them off PENDING_ASSETS: {sorted(landed)}"
    assert PENDING_ASSETS <= set(mapped)


def test_stages_cover_the_chain_up_to_reports() -> None:
    assert {"raw_docs", "chunks"} <= set(stage("data_ingestion").assets)
    assert set(stage("agent_execution").assets) >= {"agent_events", "agent_decisions"}
    assert stage("output_delivery").assets == ("reports",)
    assert "airflow_task_runs" in stage("monitoring_alerting").assets


def test_settings_come_from_the_variable_then_the_environment_then_the_defaults() -> None:
    assert bridge_settings(None, {}) == BridgeSettings()
    assert BridgeSettings().dagster_url == defaults.DAGSTER_URL
    env = {"ORC_AI_DAGSTER_URL": "http://env:3000", "ORC_AI_DAGSTER_POLL_S": "2"}
    variables = {"orc_ai_dagster_url": "http://variable:3000", "orc_ai_dagster_executor": "multiprocess"}
    settings = bridge_settings(variables.get, env)
    assert (settings.dagster_url, settings.poll_s, settings.executor) == ("http://variable:3000", 2.0, "multiprocess")
    assert settings.run_config == {"execution": {"config": {"multiprocess": {}}}}
    assert bridge_settings(lambda key: "", env).dagster_url == "http://env:3000"  # an empty Variable is unset


def test_bad_settings_name_the_setting() -> None:
    with pytest.raises(ValueError, match="ORC_AI_DAGSTER_RUN_TIMEOUT_S must be a number, not 'soon'"):
        bridge_settings(None, {"ORC_AI_DAGSTER_RUN_TIMEOUT_S": "soon"})
    with pytest.raises(ValueError, match="orc_ai_dagster_executor"):
        bridge_settings({"orc_ai_dagster_executor": "k8s"}.get, {})

"""The Grafana dashboard queries only what the exporter exposes, and shows every family it exposes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import dagster as dg
import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from orc_ai.metrics.collector import PipelineCollector
from orc_ai.resources.instance_metrics import InstanceReader

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy/grafana/orc_ai_dashboard.json"
SERIES = re.compile(r"\b(orc_ai_[a-zA-Z0-9_:]*)")
SAMPLE_SUFFIXES = {"counter": ("_total",), "summary": ("_count", "_sum"), "gauge": ("",)}


@pytest.fixture(scope="module")
def exposed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Sample name -> its family's name, from what the exporter writes over an empty instance and home."""
    registry = CollectorRegistry(auto_describe=False)
    with dg.DagsterInstance.ephemeral() as instance:
        registry.register(PipelineCollector(InstanceReader(instance), tmp_path_factory.mktemp("assets")))
        text = generate_latest(registry).decode()
    families = list(text_string_to_metric_families(text))
    assert families and all(f.type in SAMPLE_SUFFIXES for f in families)
    return {f.name + suffix: f.name for f in families for suffix in SAMPLE_SUFFIXES[f.type]}


def _expressions() -> list[tuple[str, str]]:
    panels = json.loads(DASHBOARD.read_text())["panels"]
    return [(p["title"], t["expr"]) for p in panels if p["type"] != "row" for t in p["targets"]]


def test_every_panel_queries_only_exposed_metrics(exposed) -> None:
    expressions = _expressions()
    assert expressions and all(expr.strip() for _, expr in expressions)
    unknown = {(title, name) for title, expr in expressions for name in SERIES.findall(expr) if name not in exposed}
    assert unknown == set()


def test_every_exposed_family_has_a_panel(exposed) -> None:
    shown = {exposed[name] for _, expr in _expressions() for name in SERIES.findall(expr) if name in exposed}
    assert set(exposed.values()) - shown == set()


def test_a_renamed_metric_is_caught(exposed) -> None:
    assert "orc_ai_llm_prompt_tokens_total" in exposed and "orc_ai_llm_prompt_tokens" not in exposed
    assert "orc_ai_asset_step_duration_seconds_sum" in exposed and "orc_ai_asset_step_duration_seconds" not in exposed

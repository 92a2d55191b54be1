"""The default registry: every built-in with its effect class, and argument errors that name the field."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from pydantic import BaseModel, ConfigDict

from orc_ai.errors import ToolArgumentsError, ToolError, UnknownToolError
from orc_ai.tools.registry import ToolRegistry, ToolSpec

EFFECTS = {
    "search_graph": "read",
    "entity_neighbourhood": "read",
    "get_task_history": "read",
    "forecast_lookup": "read",
    "notify": "notify",
    "create_ticket": "notify",
    "clear_task": "act",
    "pause_dag": "act",
    "trigger_dag_run": "act",
}


def test_every_builtin_is_registered_with_its_effect(registry: ToolRegistry) -> None:
    assert {d["name"]: d["effect"] for d in registry.describe()} == EFFECTS


def test_described_arguments_forbid_extras_and_describe_every_field(registry: ToolRegistry) -> None:
    for tool in registry.describe():
        schema = tool["arguments"]
        assert schema["additionalProperties"] is False, tool["name"]
        for field, spec in schema["properties"].items():
            assert spec.get("description"), f"{tool['name']}.{field} has no description"
        json.dumps(tool)  # the planner puts it in a prompt


def test_unknown_tool_is_named(registry: ToolRegistry) -> None:
    with pytest.raises(UnknownToolError, match="'drop_database'.*known tools: clear_task"):
        registry.validate("drop_database", {})


@pytest.mark.parametrize(
    ("tool", "arguments", "field"),
    [
        ("pause_dag", {"dag_id": "*"}, "dag_id"),
        ("pause_dag", {"dag_id": "orders_%"}, "dag_id"),
        ("pause_dag", {"dag_id": ""}, "dag_id"),
        ("pause_dag", {"dag_id": ".."}, "dag_id"),
        ("pause_dag", {"dag_id": "orders/../x"}, "dag_id"),
        ("pause_dag", {"dag_id": "orders\n"}, "dag_id"),
        ("pause_dag", {"dag_id": "x" * 251}, "dag_id"),
        ("pause_dag", {"dag_id": 7}, "dag_id"),
        ("pause_dag", {"dag_id": "orders", "all": True}, "all"),
        ("pause_dag", {}, "dag_id"),
        ("clear_task", {"dag_id": "orders", "dag_run_id": "manual__*", "task_id": "load"}, "dag_run_id"),
        ("clear_task", {"dag_id": "orders", "dag_run_id": "r1", "task_id": "lo ad"}, "task_id"),
        ("trigger_dag_run", {"dag_id": "orders", "logical_date": "2026-01-01T00:00:00"}, "logical_date"),
        ("trigger_dag_run", {"dag_id": "orders", "conf": {"x": "y" * 10_001}}, "conf"),
        ("notify", {"channel": "#ops alerts", "text": "hi"}, "channel"),
        ("notify", {"text": ""}, "text"),
        ("create_ticket", {"title": "t", "body": "b", "severity": "urgent"}, "severity"),
        ("create_ticket", {"title": "t", "body": "b", "cited_chunk_ids": ["a b"]}, "cited_chunk_ids.0"),
        ("entity_neighbourhood", {"entity": "alpha", "hops": 3}, "hops"),
        ("search_graph", {"query": "q", "k": 0}, "k"),
    ],
)
def test_bad_arguments_name_the_field(registry: ToolRegistry, tool: str, arguments: dict, field: str) -> None:
    with pytest.raises(ToolArgumentsError) as caught:
        registry.validate(tool, arguments)
    assert f"{field}: " in str(caught.value)
    assert f"'{tool}'" in str(caught.value)


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("pause_dag", {"dag_id": "orders_daily"}),
        ("pause_dag", {"dag_id": "team-a.orders_v2"}),
        ("clear_task", {"dag_id": "orders", "dag_run_id": "manual__2026-01-01T00:00:00+00:00", "task_id": "g.load"}),
        ("trigger_dag_run", {"dag_id": "orders", "conf": {"day": "2026-01-01"}, "logical_date": "2026-01-01T00:00Z"}),
    ],
)
def test_concrete_airflow_ids_pass(registry: ToolRegistry, tool: str, arguments: dict) -> None:
    registry.validate(tool, arguments)


class Echo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: object = None


@pytest.mark.parametrize("result", [["not", "an", "object"], {"when": datetime(2026, 1, 1)}, {"x": float("nan")}])
def test_a_result_that_is_not_a_json_object_is_a_tool_error(result: object) -> None:
    registry = ToolRegistry([ToolSpec("echo", "returns its result", Echo, "read", lambda args, ctx: result)])
    with pytest.raises(ToolError, match="'echo' returned a result that is not a JSON object"):
        registry.call("echo", {}, None)


def test_call_validates_before_running() -> None:
    ran = []
    registry = ToolRegistry([ToolSpec("echo", "", Echo, "read", lambda args, ctx: ran.append(args) or {})])
    with pytest.raises(ToolArgumentsError, match="other: Extra inputs"):
        registry.call("echo", {"other": 1}, None)
    assert ran == []
    assert registry.call("echo", {"value": 3}, None) == {} and ran == [Echo(value=3)]

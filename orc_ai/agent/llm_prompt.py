"""The LLM planner's prompt: the versioned file, the rendered sections, and the decision object's JSON schema.

Everything the model reads that did not come from the event (retrieved chunks, tool results, logs in an event's
payload) is wrapped in ``<<<DATA ... DATA>>>`` blocks; the prompt tells the model that such text is data, never
instructions, and the markers are removed from the text itself so a document cannot close its block early.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from orc_ai import defaults
from orc_ai.agent.models import ToolCall
from orc_ai.errors import ConfigError
from orc_ai.events.models import AgentEvent
from orc_ai.extract.prompt import Prompt, parse_prompt
from orc_ai.retrieve.models import ContextItem
from orc_ai.tools.registry import ToolRegistry

PLACEHOLDERS = ("tools", "event", "context", "history", "step", "max_steps")
_OPEN, _CLOSE = "<<<DATA", "DATA>>>"
RESULT_CHARS = 600  # of one tool result shown in the history


def load_planner_prompt(version: str) -> Prompt:
    """Read ``orc_ai/agent/prompts/<version>.txt``; a missing file is a ``ConfigError`` naming the folder."""
    path = resources.files("orc_ai.agent").joinpath("prompts", f"{version}.txt")
    if not path.is_file():
        raise ConfigError(f"no prompt file {version}.txt under orc_ai/agent/prompts")
    return parse_prompt(path.read_text("utf-8"), version, PLACEHOLDERS)


def _defang(text: str) -> str:
    """Text with the block markers broken, so it cannot end its DATA block or open a fake one."""
    return text.replace("<<<", "< < <").replace(">>>", "> > >")


def data_block(label: str, text: str) -> str:
    return f"{_OPEN} {label}\n{_defang(text)}\n{_CLOSE}"


def render_tools(tools: ToolRegistry) -> str:
    return "\n".join(
        f"- {t['name']} ({t['effect']}): {t['description']} arguments: {json.dumps(t['arguments'], sort_keys=True)}"
        for t in tools.describe()
    )


def render_event(event: AgentEvent) -> str:
    """Type, subject, team and a question's text are the request; any other payload (error text, logs) is data."""
    lines = [f"type: {event.type}", f"subject: {json.dumps(event.subject.model_dump(exclude_none=True))}"]
    if event.team:
        lines.append(f"team: {event.team}")
    payload = dict(event.payload)
    if event.type == "question":
        lines.append(f"question: {_defang(str(payload.pop('question', '')))}")
    if payload:
        lines.append(data_block("event payload", json.dumps(payload, sort_keys=True, default=str)))
    return "\n".join(lines)


def render_context(items: list[ContextItem]) -> str:
    if not items:
        return "(no context)"
    return "\n".join(
        data_block(f"[{n}] chunk_id={item.chunk_id} doc={_defang(item.doc_name)}", item.text)
        for n, item in enumerate(items, 1)
    )


def render_history(history: list[ToolCall]) -> str:
    if not history:
        return "(no calls yet)"
    lines = []
    for call in history:
        outcome = "executed" if call.executed else f"not executed ({call.policy.reason})"
        shown = json.dumps(call.result, sort_keys=True, default=str)[:RESULT_CHARS] if call.result else ""
        result = data_block("result", shown) if shown else f"error: {_defang(call.error or 'none')}"
        lines.append(f"step {call.step}: {call.tool} {json.dumps(call.arguments, sort_keys=True)} -> {outcome}")
        lines.append(result)
    return "\n".join(lines)


def arguments_schema(tools: ToolRegistry, max_chars: int = defaults.AGENT_LLM_MAX_ARGUMENT_CHARS) -> dict[str, Any]:
    """Any one tool's argument object (closed, with its top-level strings length-limited) or ``{}`` for done."""
    options: list[dict[str, Any]] = []
    for spec in (tools.get(name) for name in tools.names):
        schema = spec.json_schema()
        # a tool's own limit may be far longer (a ticket body): llama.cpp refuses a grammar that repeats a rule
        # more than ~2,000 times, so every string is held to max_chars here and the tool model checks the rest
        props = {
            key: (prop | {"maxLength": min(prop.get("maxLength", max_chars), max_chars)}
                  if prop.get("type") == "string" else prop)
            for key, prop in schema.get("properties", {}).items()
        }
        options.append(schema | {"properties": props, "additionalProperties": False})
    return {"anyOf": [*options, {"type": "object", "properties": {}, "additionalProperties": False}]}


def decision_schema(
    tool_names: list[str],
    chunk_ids: list[str],
    max_decision_chars: int = defaults.AGENT_LLM_MAX_DECISION_CHARS,
    max_rationale_chars: int = defaults.AGENT_LLM_MAX_RATIONALE_CHARS,
    arguments: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The decision object; tool names and chunk ids are enums, ``arguments`` (from ``arguments_schema``) one of
    the tools' argument objects, and the texts have a length limit, so a grammar-constrained server can neither
    leave them nor ramble. The schema cannot tie the arguments to the chosen tool: the validator checks that, and
    everything else again, for endpoints that ignore the schema."""
    citations: dict[str, Any] = {
        "type": "array",
        "items": {"type": "string", "enum": chunk_ids},
        "maxItems": len(chunk_ids),
    }
    if not chunk_ids:
        citations = {"type": "array", "maxItems": 0}
    return {
        "type": "object",
        "properties": {
            "decision": {"type": "string", "maxLength": max_decision_chars},
            "tool": {"enum": [*tool_names, None]},
            "arguments": arguments or {"type": "object"},
            "rationale": {"type": "string", "maxLength": max_rationale_chars},
            "cited_chunk_ids": citations,
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        },
        "required": ["decision", "tool", "arguments", "rationale", "cited_chunk_ids", "confidence"],
        "additionalProperties": False,
    }

"""Whether a proposed call's intent came from document text rather than from the event (``from_document_text``).

The rule, for a call whose tool has effect ``notify`` or ``act`` (read calls and "done" are never marked): the
call is accounted for by the event only when BOTH
- intent: the event type implies the tool (``defaults.AGENT_EVENT_IMPLIED_TOOLS``, e.g. ``clear_task`` for an
  Airflow task failure), or the event is a question whose text names the tool's action (a word from
  ``defaults.AGENT_TOOL_ACTION_WORDS``, else the first word of the tool's name: "pause" for ``pause_dag``); and
- target: every identifier-like argument value (a string without whitespace, or any string under a field named
  like an id: ``*id``, ``*_key``, ``channel``; also inside lists and objects) appears as a whole token in the
  event's trusted text: its subject fields, team, tenant and a question's text.
Otherwise the call is marked: a planner reads nothing but the event, retrieved chunks and earlier tool results,
so what the event does not account for came from documents (or was made up while reading them). An event's other
payload fields (error messages, logs) count as document text: machine-written, they may carry injected orders.
Free text (values with whitespace in other fields, e.g. a message body) names no target and is not checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from orc_ai import defaults
from orc_ai.events.models import AgentEvent
from orc_ai.policy.models import Effect

_CHECKED_EFFECTS = ("notify", "act")


def trusted_event_text(event: AgentEvent) -> str:
    """The parts of an event a person or the platform itself wrote: subject, team, tenant, a question's text."""
    parts = [str(v) for v in event.subject.model_dump(exclude_none=True).values()]
    parts += [p for p in (event.team, event.tenant) if p]
    if event.type == "question":
        parts.append(str(event.payload.get("question", "")))
    return "\n".join(parts)


def _names_target(field: str) -> bool:
    field = field.casefold()
    return field.endswith(("id", "_key")) or field == "channel"


def identifier_values(arguments: Any, field: str = "") -> Iterator[str]:
    """Strings without whitespace, and every string under an id-like field, at any depth (keys are not values)."""
    if isinstance(arguments, str):
        if arguments and (_names_target(field) or not any(ch.isspace() for ch in arguments)):
            yield arguments
    elif isinstance(arguments, Mapping):
        for key, value in arguments.items():
            yield from identifier_values(value, str(key))
    elif isinstance(arguments, Sequence):
        for value in arguments:
            yield from identifier_values(value, field)


def _has_token(text: str, token: str) -> bool:
    """``token`` stands in ``text`` (case-insensitive) with no identifier character glued to either side."""
    return re.search(rf"(?<![\w.\-/]){re.escape(token)}(?![\w\-/]|\.\w)", text, flags=re.IGNORECASE) is not None


def _stem(word: str) -> str:
    """A crude stem so "pause" matches "paused"/"pausing" and "notify" "notification"."""
    return word[:-1] if len(word) > 4 and word[-1] in "ey" else word


def action_words(tool: str) -> tuple[str, ...]:
    return defaults.AGENT_TOOL_ACTION_WORDS.get(tool) or (tool.split("_", 1)[0],)


def names_action(text: str, tool: str) -> bool:
    """Whether ``text`` contains a word starting with the stem of one of the tool's action words."""
    return any(re.search(rf"\b{re.escape(_stem(w))}", text, flags=re.IGNORECASE) for w in action_words(tool))


def intent_from_event(event: AgentEvent, tool: str) -> bool:
    if tool in defaults.AGENT_EVENT_IMPLIED_TOOLS.get(event.type, ()):
        return True
    return event.type == "question" and names_action(str(event.payload.get("question", "")), tool)


def from_document_text(event: AgentEvent, tool: str | None, effect: Effect | None, arguments: dict[str, Any]) -> bool:
    """True when a notify/act call's intent or a target is not accounted for by the event (rule above)."""
    if tool is None or effect not in _CHECKED_EFFECTS:
        return False
    if not intent_from_event(event, tool):
        return True
    trusted = trusted_event_text(event)
    return any(not _has_token(trusted, value) for value in identifier_values(arguments))


def untrusted_targets(event: AgentEvent, arguments: dict[str, Any]) -> list[str]:
    """The identifier-like argument values the event does not name (for a rationale or a log line)."""
    trusted = trusted_event_text(event)
    return [v for v in identifier_values(arguments) if not _has_token(trusted, v)]

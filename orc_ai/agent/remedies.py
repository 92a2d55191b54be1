"""What a runbook chunk says to do about a failing task: retry/clear, pause, or re-trigger, and for which task."""

from __future__ import annotations

import re
from dataclasses import dataclass

from orc_ai.agent.injection import looks_like_injection
from orc_ai.events.models import AgentEvent
from orc_ai.retrieve.models import ContextItem

# action word -> tool; the first that a relevant chunk states wins, in this order (least disruptive first)
_REMEDIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("clear_task", re.compile(r"\b(?:retry|re-?run|clear)(?:\s+(?:it|the task|the task instance))?\s+once\b"
                              r"|\b(?:safe to|can be|may be|should be)\s+(?:retried|re-?run|cleared)\b"
                              r"|\bclear (?:the )?(?:failed )?task\b", re.IGNORECASE)),
    ("pause_dag", re.compile(r"\bpause (?:the|this) dag\b", re.IGNORECASE)),
    ("trigger_dag_run", re.compile(r"\b(?:trigger|start) a (?:new|fresh) (?:dag )?run\b", re.IGNORECASE)),
)
_DO_NOT = re.compile(r"\b(?:do not|don't|never|must not)\s+(?:\w+\s+){0,3}(?:retry|re-?run|clear|pause|trigger)",
                     re.IGNORECASE)


@dataclass(frozen=True)
class Remedy:
    tool: str
    chunk: ContextItem
    reason: str


def _mentions(text: str, name: str | None) -> bool:
    return bool(name) and re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE) is not None


def relevant_to(item: ContextItem, event: AgentEvent) -> bool:
    """The chunk names the event's task or DAG, or its error class."""
    subject = event.subject
    error_class = str(event.payload.get("error_class") or "")
    return _mentions(item.text, subject.task_id) or _mentions(item.text, subject.dag_id) or _mentions(
        item.text, error_class
    )


def find_remedy(event: AgentEvent, context: list[ContextItem]) -> Remedy | None:
    """The first remedy stated by a relevant, non-injected chunk, in retrieval order; ``None`` if none states one
    or a relevant chunk forbids it."""
    for item in context:
        if looks_like_injection(item.text) or not relevant_to(item, event):
            continue
        if _DO_NOT.search(item.text):
            return None
        for tool, pattern in _REMEDIES:
            match = pattern.search(item.text)
            if match:
                return Remedy(tool, item, f"{item.doc_name} says {match.group(0)!r}")
    return None

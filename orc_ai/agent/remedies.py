"""What a runbook chunk says to do about a failing task: clear (retry) it, pause its DAG, or trigger a new run."""

from __future__ import annotations

import re
from dataclasses import dataclass

from orc_ai.agent.injection import looks_like_injection
from orc_ai.events.models import AgentEvent
from orc_ai.retrieve.models import ContextItem

_CLEAR = (
    r"\b(?:then\s+)?clear\s+(?:the\s+)?(?:failed\s+|guarded\s+)?(?:tasks?|sensor|task instances?|{task})\b"
    r"|\bretry(?:ing)?\s+(?:it\s+|the task\s+)?once\b|\bthe retry is safe\b|\bsafe to (?:retry|re-?run|clear)\b"
    r"|\bclearing (?:it )?is safe\b"
)
_PAUSE = r"\bpause (?:the |this )?(?:dag|{dag})\b"
_TRIGGER = r"\b(?:trigger|start) a (?:new|fresh) (?:dag )?run\b"
_DO_NOT = re.compile(r"\b(?:do not|don't|never|must not)\s+(?:\w+\s+){0,2}(?:retry|re-?run|clear|rerun)\b",
                     re.IGNORECASE)
_ERROR_CODE = re.compile(r"\b[A-Z]?\d{4,6}\b")


@dataclass(frozen=True)
class Remedy:
    tool: str
    chunk: ContextItem
    reason: str


def _names(text: str, name: str | None) -> bool:
    return bool(name) and re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE) is not None


def relevant_to(item: ContextItem, event: AgentEvent) -> bool:
    """The chunk names the event's task or DAG, its error class, or an error code from its message."""
    subject, payload = event.subject, event.payload
    codes = _ERROR_CODE.findall(str(payload.get("error") or payload.get("error_message") or ""))
    return any(
        _names(item.text, name)
        for name in (subject.task_id, subject.dag_id, str(payload.get("error_class") or ""), *codes)
    )


def find_remedy(event: AgentEvent, context: list[ContextItem]) -> Remedy | None:
    """The remedy the first relevant, non-injected chunk that states one gives, in retrieval order; ``None``
    when none states one or that chunk says not to retry."""
    task = re.escape(event.subject.task_id or "\x00")
    dag = re.escape(event.subject.dag_id or "\x00")
    patterns = (
        ("clear_task", re.compile(_CLEAR.format(task=task), re.IGNORECASE)),
        ("pause_dag", re.compile(_PAUSE.format(dag=dag), re.IGNORECASE)),
        ("trigger_dag_run", re.compile(_TRIGGER, re.IGNORECASE)),
    )
    for item in context:
        if looks_like_injection(item.text) or not relevant_to(item, event):
            continue
        forbidden = _DO_NOT.search(item.text)
        for tool, pattern in patterns:
            match = pattern.search(item.text)
            if match and not (forbidden and tool == "clear_task"):
                return Remedy(tool, item, f"{item.doc_name} says {match.group(0)!r}")
        if forbidden:
            return None
    return None

"""Recognise corpus text that addresses the agent with instructions (prompt injection) so no plan relies on it."""

from __future__ import annotations

import re

_INSTRUCTION_TO_AGENT = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}\b(?:previous|prior|above|earlier|all|your|system)\b"
    r"[^.\n]{0,20}\b(?:instructions?|prompts?|rules?|polic(?:y|ies)|guidelines?)\b"
    r"|\byou are now\b|\bnew instructions\s*:|\bsystem prompt\b|\bas an ai\b"
    r"|\b(?:pause|stop|clear|trigger|delete|disable)\s+(?:every|all)\s+(?:the\s+)?(?:dags?|tasks?|pipelines?)\b",
    flags=re.IGNORECASE,
)


def looks_like_injection(text: str) -> bool:
    """True when text gives the reader agent-directed or blanket commands; such chunks are cited as evidence
    at most, never used to choose an action."""
    return bool(_INSTRUCTION_TO_AGENT.search(text))

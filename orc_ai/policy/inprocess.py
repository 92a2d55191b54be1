"""The in-process policy decision point: authz.rego's rules, in the same order, over the same data file.

Used when no OPA server is configured (the offline default). A change to either this module or the Rego must be
made to both; orc_ai_tests/policy/test_parity.py runs one decision table through both and compares them.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from orc_ai.errors import PolicyError
from orc_ai.policy.data import DATA_PATH, PolicyData, load_policy_data
from orc_ai.policy.models import PolicyDecision, PolicyInput

EVALUATOR = "in-process"


def _decision(code: str, text: str, *, allowed: bool = False, approval_required: bool = False) -> PolicyDecision:
    return PolicyDecision(
        allowed=allowed,
        approval_required=approval_required,
        code=code,
        reason=f"{code}: {text}",
        evaluator=EVALUATOR,
    )


def evaluate(data: PolicyData, request: PolicyInput) -> PolicyDecision:
    """The first rule that matches decides; nothing matched is a denial (``no_rule_matched``)."""
    agent = data.agents.get(request.agent)
    if agent is None:
        return _decision("unknown_agent", f"agent {request.agent} is not in the policy data")
    tool = data.tools.get(request.tool)
    if tool is None:
        return _decision("unknown_tool", f"tool {request.tool} is not in the policy data")
    if tool.effect != request.effect:
        return _decision(
            "effect_mismatch", f"tool {request.tool} is a {tool.effect} tool, the call claims {request.effect}"
        )
    if request.effect == "read":
        return _decision("read_allowed", f"read tool {request.tool} is open to every known agent", allowed=True)
    if request.effect == "notify":
        channel = request.arguments.get("channel")
        if tool.channels is not None and channel not in tool.channels:
            name = channel if isinstance(channel, str) else "(none)"
            return _decision("channel_not_allowed", f"channel {name} is not allow-listed for {request.tool}")
        return _decision("notify_allowed", f"notify tool {request.tool} is allowed", allowed=True)
    if request.effect == "act":
        return _act_decision(data, request, agent.roles, tool.target_args)
    return _decision("no_rule_matched", "no rule allows this call (deny by default)")


def _act_decision(data: PolicyData, request: PolicyInput, roles: list[str], targets: list[str]) -> PolicyDecision:
    if request.from_document_text:
        return _decision(
            "document_text_intent",
            "the intent for this act call came from document text; act calls are never taken on a document's word",
        )
    subject = request.subject.model_dump()
    if not all(_valid_id(data.target_id_pattern, _target(request.arguments, subject, k)) for k in targets):
        return _decision(
            "bulk_target",
            f"{request.tool} needs one exact {', '.join(targets)}: a missing or wildcard target is never acted on",
        )
    for k in targets:
        asked, about = request.arguments.get(k), subject.get(k)
        if asked is not None and about is not None and asked != about:
            return _decision("subject_mismatch", f"the call targets {k} {asked}, the event is about {about}")
    if not any(request.tool in data.roles[r].act_tools for r in roles if r in data.roles):
        return _decision(
            "role_denies_tool", f"no role of agent {request.agent} ({', '.join(roles)}) grants {request.tool}"
        )
    dag_id = _target(request.arguments, subject, "dag_id")
    dag = data.dags.get(dag_id)
    if dag is None:
        return _decision("unknown_dag", f"DAG {dag_id} is not in the policy data")
    team = request.subject.team
    if team is not None and team != dag.team:
        return _decision("team_mismatch", f"DAG {dag_id} belongs to team {dag.team}, the event's team is {team}")
    if request.approval is not None:
        return _decision(
            "human_approved", f"{request.tool} on {dag_id} approved by {request.approval.approved_by}", allowed=True
        )
    for rule in data.auto_approve:
        if rule.tool == request.tool and request.event_type in rule.event_types and dag.flag(rule.dag_flag):
            return _decision("auto_approved", f"{request.tool} on {dag_id} allowed by rule {rule.id}", allowed=True)
    return _decision(
        "approval_required", f"{request.tool} on {dag_id} waits for a person's approval", approval_required=True
    )


def _target(arguments: dict[str, Any], subject: dict[str, Any], key: str) -> Any:
    """The target the arguments name, else the event's subject (as in the Rego)."""
    value = arguments.get(key)
    return value if value is not None else subject.get(key)


def _valid_id(pattern: str, value: Any) -> bool:
    # fullmatch: RE2's "$" (OPA) never matches before a trailing newline, Python's does
    return isinstance(value, str) and re.fullmatch(pattern, value) is not None


class InProcessEvaluator:
    """A PolicyDecisionPoint over the data file; an edited file is re-read on the next call."""

    name = EVALUATOR

    def __init__(self, data_path: Path = DATA_PATH):
        self.data_path = Path(data_path)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._data: PolicyData | None = None

    def data(self) -> PolicyData:
        """The data file's rules, re-read when its modification time or size changed."""
        try:
            stat = self.data_path.stat()
        except OSError as exc:
            raise PolicyError(f"policy data file {self.data_path} cannot be read: {exc}") from exc
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp or self._data is None:
                self._data, self._stamp = load_policy_data(self.data_path), stamp
            return self._data

    def authorise(self, request: PolicyInput) -> PolicyDecision:
        return evaluate(self.data(), request)

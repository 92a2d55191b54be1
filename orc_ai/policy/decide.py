"""Choosing the policy decision point and asking it so that a failure denies (fail closed)."""

from __future__ import annotations

from pathlib import Path

from orc_ai import defaults
from orc_ai.errors import PolicyError
from orc_ai.policy.data import DATA_PATH
from orc_ai.policy.inprocess import InProcessEvaluator
from orc_ai.policy.models import PolicyDecision, PolicyDecisionPoint, PolicyInput
from orc_ai.policy.opa import OpaClient

PDP_FAILED = "pdp_failed"


def open_policy_point(
    opa_url: str | None,
    *,
    data_path: Path = DATA_PATH,
    timeout_s: float = defaults.OPA_TIMEOUT_S,
) -> OpaClient | InProcessEvaluator:
    """OPA at ``opa_url`` when given, else the in-process evaluator over ``data_path``."""
    if opa_url:
        return OpaClient(opa_url, timeout_s=timeout_s)
    return InProcessEvaluator(data_path)


def authorise_or_deny(pdp: PolicyDecisionPoint, request: PolicyInput) -> PolicyDecision:
    """The decision point's answer; a ``PolicyError`` (OPA down, bad answer, bad data file) becomes a denial whose
    reason says the decision point failed, so a call is never run without an allowing decision."""
    try:
        return pdp.authorise(request)
    except PolicyError as exc:
        return PolicyDecision(
            allowed=False,
            approval_required=False,
            code=PDP_FAILED,
            reason=f"{PDP_FAILED}: the policy decision point failed, so the call is denied: {exc}",
            evaluator=getattr(pdp, "name", type(pdp).__name__),
        )

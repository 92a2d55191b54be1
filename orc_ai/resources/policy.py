"""The policy decision point: OPA's REST API when ORC_AI_OPA_URL is set, else the same rules in process."""

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
from pydantic import Field, PrivateAttr

from orc_ai import defaults
from orc_ai.policy.decide import authorise_or_deny, open_policy_point
from orc_ai.policy.inprocess import InProcessEvaluator
from orc_ai.policy.models import PolicyDecision, PolicyInput
from orc_ai.policy.opa import OpaClient


class PolicyResource(dg.ConfigurableResource):
    """Opens the decision point per run; ``authorise`` fails closed (an unanswerable PDP is a denial)."""

    opa_url: str | None = Field(
        default=None,
        description="OPA server, e.g. http://127.0.0.1:8181 (scripts/opa-server); unset: the in-process evaluator.",
    )
    timeout_s: float = Field(default=defaults.OPA_TIMEOUT_S, description="Seconds one OPA decision may take.")

    _pdp: OpaClient | InProcessEvaluator | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._pdp = open_policy_point(self.opa_url, timeout_s=self.timeout_s)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if isinstance(self._pdp, OpaClient):
            self._pdp.close()

    @property
    def evaluator(self) -> str:
        """ "opa" or "in-process": which decision point this resource asks."""
        return "opa" if self.opa_url else "in-process"

    def authorise(self, request: PolicyInput) -> PolicyDecision:
        """The decision for one tool call; a PDP failure is a denial with code ``pdp_failed``."""
        if self._pdp is None:
            raise RuntimeError("policy is opened per run; outside a run use `with resource.open_point()`")
        return authorise_or_deny(self._pdp, request)

    @contextmanager
    def open_point(self) -> Iterator["PolicyResource"]:
        """This resource opened outside a run (the CLI), environment variables resolved as in a run."""
        with dg.build_resources({"policy": self}) as resources:
            yield resources.policy

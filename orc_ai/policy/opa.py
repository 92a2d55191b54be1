"""A client of OPA's REST data API: the policy decision point when an OPA server is configured."""

from __future__ import annotations

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from orc_ai import defaults
from orc_ai.errors import PolicyError
from orc_ai.policy.models import PolicyDecision, PolicyInput

EVALUATOR = "opa"


class _OpaDecision(BaseModel):
    """What authz.rego's ``decision`` must look like; anything else is a malformed answer."""

    model_config = ConfigDict(extra="forbid", strict=True)

    allowed: bool
    approval_required: bool
    code: str
    reason: str


class OpaClient:
    """Asks ``POST <url>/v1/data/<decision path>`` with ``{"input": ...}``; raises ``PolicyError`` on anything but
    a well-formed decision (server unreachable, timeout, HTTP error, undefined decision, malformed answer)."""

    name = EVALUATOR

    def __init__(
        self,
        url: str,
        *,
        decision_path: str = defaults.OPA_DECISION_PATH,
        timeout_s: float = defaults.OPA_TIMEOUT_S,
    ):
        self.url = url.rstrip("/")
        self.endpoint = f"{self.url}/v1/data/{decision_path.strip('/')}"
        self._client = httpx.Client(timeout=timeout_s)

    def authorise(self, request: PolicyInput) -> PolicyDecision:
        try:
            response = self._client.post(self.endpoint, json={"input": request.model_dump(mode="json")})
        except httpx.HTTPError as exc:
            raise PolicyError(f"OPA at {self.url} could not be asked: {type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise PolicyError(f"OPA at {self.endpoint} answered HTTP {response.status_code}: {response.text[:300]}")
        try:
            body = response.json()
        except ValueError as exc:
            raise PolicyError(f"OPA at {self.endpoint} answered with invalid JSON: {response.text[:300]}") from exc
        if not isinstance(body, dict) or "result" not in body:
            raise PolicyError(f"OPA's decision at {self.endpoint} is undefined: is the ORC AI policy loaded?")
        try:
            result = _OpaDecision.model_validate(body["result"])
        except ValidationError as exc:
            raise PolicyError(f"OPA at {self.endpoint} answered a malformed decision: {body['result']!r:.300}") from exc
        return PolicyDecision(**result.model_dump(), evaluator=EVALUATOR)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> OpaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

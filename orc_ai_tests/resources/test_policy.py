"""The policy resource: OPA when ORC_AI_OPA_URL is set (resolved at run time), the in-process evaluator otherwise."""

from __future__ import annotations

import pytest

from orc_ai.definitions import build_resources
from orc_ai.resources.policy import PolicyResource
from orc_ai_tests.neo4j_server import free_port
from orc_ai_tests.opa_server import OpaServer
from orc_ai_tests.policy.decision_table import pause, request


def test_without_opa_url_decisions_are_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ORC_AI_OPA_URL", raising=False)
    with build_resources()["policy"].open_point() as policy:
        decision = policy.authorise(request())
    assert (decision.code, decision.allowed, decision.evaluator) == ("auto_approved", True, "in-process")


def test_opa_url_from_the_environment(monkeypatch: pytest.MonkeyPatch, opa_server: OpaServer) -> None:
    monkeypatch.setenv("ORC_AI_OPA_URL", opa_server.url)
    resource = build_resources()["policy"]
    assert opa_server.url not in repr(resource)  # an EnvVar, resolved when the run starts
    with resource.open_point() as policy:
        assert policy.evaluator == "opa"
        decision = policy.authorise(pause("*", from_document_text=True, approval={"approved_by": "a"}))
    assert (decision.code, decision.allowed, decision.evaluator) == ("document_text_intent", False, "opa")


def test_unreachable_opa_denies_instead_of_failing() -> None:
    with PolicyResource(opa_url=f"http://127.0.0.1:{free_port()}", timeout_s=1).open_point() as policy:
        decision = policy.authorise(request())
    assert (decision.allowed, decision.code, decision.evaluator) == (False, "pdp_failed", "opa")


def test_authorise_outside_a_run_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="open_point"):
        PolicyResource().authorise(request())

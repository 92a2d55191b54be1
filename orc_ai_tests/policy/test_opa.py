"""The OPA client against real OPA servers: answers, and every way asking can fail (each denies, fail closed)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from orc_ai.errors import PolicyError
from orc_ai.policy.decide import authorise_or_deny, open_policy_point
from orc_ai.policy.opa import OpaClient
from orc_ai_tests.conftest import require_opa
from orc_ai_tests.neo4j_server import free_port
from orc_ai_tests.opa_server import OpaServer
from orc_ai_tests.policy.decision_table import pause, request


def assert_denied_closed(client: OpaClient, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        client.authorise(request())
    decision = authorise_or_deny(client, request())
    assert (decision.allowed, decision.approval_required, decision.code) == (False, False, "pdp_failed")
    assert decision.evaluator == "opa" and decision.reason.startswith("pdp_failed: the policy decision point failed")


def test_opa_decides(opa_server: OpaServer) -> None:
    with open_policy_point(opa_server.url) as client:
        assert isinstance(client, OpaClient)
        decision = authorise_or_deny(client, pause("*", from_document_text=True))
    assert (decision.code, decision.allowed, decision.evaluator) == ("document_text_intent", False, "opa")


def test_opa_down_denies() -> None:
    with OpaClient(f"http://127.0.0.1:{free_port()}") as client:
        assert_denied_closed(client, "could not be asked: ConnectError")


def test_opa_that_never_answers_times_out_and_denies() -> None:
    with socket.socket() as listener:  # accepts connections (the backlog) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        with OpaClient(f"http://127.0.0.1:{listener.getsockname()[1]}", timeout_s=0.3) as client:
            assert_denied_closed(client, "ReadTimeout")


def test_undefined_decision_denies(opa_server: OpaServer) -> None:
    with OpaClient(opa_server.url, decision_path="orc_ai/authz/no_such_rule") as client:
        assert_denied_closed(client, "undefined")


def serve_policy(tmp_path: Path, rego: str) -> OpaServer:
    require_opa()
    policy_dir = tmp_path / "policy"
    policy_dir.mkdir()
    (policy_dir / "authz.rego").write_text(rego)
    return OpaServer(policy_dir, tmp_path / "opa.log").start()


def test_malformed_decision_denies(tmp_path: Path) -> None:
    server = serve_policy(tmp_path, 'package orc_ai.authz\n\ndecision := {"allowed": "yes", "reason": 1}\n')
    try:
        with OpaClient(server.url) as client:
            assert_denied_closed(client, "malformed decision")
    finally:
        server.stop()


def test_policy_error_in_evaluation_denies(tmp_path: Path) -> None:
    # two values for one complete rule: OPA answers HTTP 500 (eval_conflict_error)
    rego = "package orc_ai.authz\n\ndecision := 1 if input.agent\n\ndecision := 2 if input.tool\n"
    server = serve_policy(tmp_path, rego)
    try:
        with OpaClient(server.url) as client:
            assert_denied_closed(client, "HTTP 500")
    finally:
        server.stop()

"""OPA and the in-process evaluator decide alike: one decision table, random requests, and a data-file edit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orc_ai.policy.data import DATA_PATH, load_policy_data
from orc_ai.policy.inprocess import InProcessEvaluator
from orc_ai.policy.models import PolicyInput
from orc_ai.policy.opa import OpaClient
from orc_ai_tests.conftest import require_opa
from orc_ai_tests.opa_server import OpaServer
from orc_ai_tests.policy.decision_table import APPROVAL, FAILED_INVOICE, ROWS, request
from orc_ai_tests.policy.test_inprocess import copy_policy, mark_retry_safe


@pytest.fixture(scope="module")
def opa(opa_server: OpaServer) -> OpaClient:
    with OpaClient(opa_server.url) as client:
        yield client


@pytest.mark.parametrize(("request_", "code", "outcome"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_decision_table_through_opa_and_in_process(opa: OpaClient, request_, code, outcome) -> None:
    by_opa, in_process = opa.authorise(request_), InProcessEvaluator().authorise(request_)
    assert by_opa.evaluator == "opa" and in_process.evaluator == "in-process"
    assert (by_opa.code, by_opa.allowed, by_opa.approval_required) == (code, *outcome)
    assert (in_process.code, in_process.allowed, in_process.approval_required) == (code, *outcome)
    assert by_opa.reason == in_process.reason


DATA = load_policy_data(DATA_PATH)
names = st.text(alphabet="abcdefghij_*-. \n", min_size=0, max_size=8)


def mostly(known: list, other: st.SearchStrategy) -> st.SearchStrategy:
    """Known names four times in five, so the rules past the "unknown ..." checks are reached."""
    return st.tuples(st.sampled_from([True, True, True, True, False]), st.sampled_from(known), other).map(
        lambda drawn: drawn[1] if drawn[0] else drawn[2]
    )


@st.composite
def policy_inputs(draw: st.DrawFn) -> PolicyInput:
    tool = draw(mostly(sorted(DATA.tools) + ["clear_task", "pause_dag", "trigger_dag_run"] * 2, names))
    known_effect = DATA.tools[tool].effect if tool in DATA.tools else "act"
    dag = draw(mostly(sorted(DATA.dags), st.one_of(st.none(), names, st.integers(0, 3))))
    task = draw(mostly(["load_to_snowflake", "extract_orders"], st.one_of(st.none(), names)))
    arguments = {"dag_id": dag, "task_id": task, "channel": draw(mostly(["#data-ops", "#orc-ai-alerts"], names))}
    arguments = {k: v for k, v in arguments.items() if draw(st.sampled_from([True, True, True, False]))}
    subject = {
        "dag_id": dag if isinstance(dag, str) and draw(st.booleans()) else draw(mostly(sorted(DATA.dags), st.none())),
        "task_id": task if draw(st.booleans()) else None,
        "team": DATA.dags[dag].team
        if dag in DATA.dags and draw(st.booleans())
        else draw(mostly(sorted({d.team for d in DATA.dags.values()}), st.none())),
    }
    return PolicyInput(
        agent=draw(mostly(sorted(DATA.agents), names)),
        tool=tool,
        effect=draw(mostly([known_effect], st.sampled_from(["read", "notify", "act"]))),
        arguments=arguments,
        subject=subject,
        event_type=draw(
            mostly(["airflow_task_failure"], st.sampled_from(["question", "data_quality", "forecast_risk"]))
        ),
        from_document_text=draw(st.sampled_from([False, False, False, True])),
        approval=draw(st.one_of(st.none(), st.none(), st.just(APPROVAL))),
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(policy_input=policy_inputs())
def test_random_requests_decide_alike(opa: OpaClient, policy_input: PolicyInput) -> None:
    by_opa, in_process = opa.authorise(policy_input), InProcessEvaluator().authorise(policy_input)
    assert by_opa.model_dump(exclude={"evaluator"}) == in_process.model_dump(exclude={"evaluator"})


def wait_for_code(client: OpaClient, policy_input: PolicyInput, code: str, timeout_s: float = 20) -> str:
    deadline = time.monotonic() + timeout_s
    while (seen := client.authorise(policy_input).code) != code and time.monotonic() < deadline:
        time.sleep(0.1)
    return seen


def test_data_file_edit_is_picked_up_by_both(tmp_path: Path) -> None:
    require_opa()
    policy_dir = copy_policy(tmp_path)
    server = OpaServer(policy_dir, tmp_path / "opa.log").start()
    try:
        retry = request(
            arguments={"dag_id": "billing_invoice_export", "task_id": "generate_invoice_lines"}, subject=FAILED_INVOICE
        )
        in_process = InProcessEvaluator(policy_dir / "data.json")
        with OpaClient(server.url) as client:
            assert client.authorise(retry).code == in_process.authorise(retry).code == "approval_required"
            mark_retry_safe(policy_dir / "data.json", "billing_invoice_export")
            assert in_process.authorise(retry).code == "auto_approved"
            assert wait_for_code(client, retry, "auto_approved") == "auto_approved"
            assert client.authorise(retry).reason == in_process.authorise(retry).reason
    finally:
        server.stop()

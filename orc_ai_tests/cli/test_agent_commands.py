"""``orc-ai ask`` and ``orc-ai decisions`` on a home built by the asset chain on the bundled corpus."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from orc_ai.cli import main

pytestmark = pytest.mark.slow
BILLING_FAILURE = json.dumps({
    "type": "airflow_task_failure", "team": "finance-data",
    "subject": {"dag_id": "billing_invoice_export", "task_id": "generate_invoice_lines",
                "run_id": "scheduled__2026-04-30T01:30:00+00:00", "try_number": 2},
    "payload": {"error": "StaleFxRateError: fx rates older than 2h (fx_rates_hourly is late)"},
})


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, bundled_chain):
    root = tmp_path_factory.mktemp("cli-agent")
    with pytest.MonkeyPatch.context() as monkeypatch:
        home = bundled_chain.copy_home(root / "home")
        monkeypatch.setenv("ORC_AI_HOME", str(home))
        monkeypatch.setenv("ORC_AI_DOCS_DIR", str(bundled_chain.docs))
        yield home  # ORC_AI_HOME stays set for the module's tests


def run(*args: str) -> dict | list[dict]:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return lines[0] if len(lines) == 1 else lines


def test_a_question_is_answered_with_citations_of_real_chunks(home: Path) -> None:
    question = "What should I do when load_to_snowflake fails with 000606 No active warehouse selected?"
    decision = run("ask", question, "--json")
    names = dict(pl.read_parquet(home / "assets" / "raw_docs.parquet").select("doc_id", "name").iter_rows())
    doc_of = dict(pl.read_parquet(home / "assets" / "chunks.parquet").select("chunk_id", "doc_id").iter_rows())
    assert decision["status"] == "decided" and decision["tool_calls"] == [] and decision["citations"]
    for citation in decision["citations"]:
        assert names[doc_of[citation["chunk_id"]]] == citation["doc_name"]
    assert "catalog/known_errors.jsonl#KE-001" in {c["doc_name"] for c in decision["citations"]}


def test_an_event_waits_for_approval_and_the_approval_is_recorded(home: Path) -> None:
    decision = run("ask", BILLING_FAILURE, "--json")
    assert decision["status"] == "awaiting_approval"
    for call in decision["tool_calls"]:
        assert {"tool", "arguments", "effect", "policy", "executed"} <= set(call)
        assert {"allowed", "reason"} <= set(call["policy"])
    (clear,) = [c for c in decision["tool_calls"] if c["tool"] == "clear_task"]
    assert clear["policy"]["approval_required"] and not clear["executed"]
    waiting = run("decisions", "list", "--status", "awaiting_approval", "--json")
    assert decision["decision_id"] in {d["decision_id"] for d in ([waiting] if isinstance(waiting, dict) else waiting)}

    approved = run("decisions", "approve", decision["decision_id"], "--by", "alice", "--comment", "fx ok", "--json")
    (clear,) = [c for c in approved["tool_calls"] if c["tool"] == "clear_task"]
    assert approved["status"] == "approved" and approved["review"]["reviewer"] == "alice"
    assert clear["policy"]["code"] == "human_approved" and not clear["executed"]
    assert "Airflow not configured" in clear["error"]  # allowed now, but there is no Airflow to call
    assert run("ask", BILLING_FAILURE, "--json") == approved  # asking again returns the settled decision


def test_a_rejected_decision_can_be_decided_again(home: Path) -> None:
    event = BILLING_FAILURE.replace("try_number\": 2", "try_number\": 3")
    first = run("ask", event, "--json")
    rejected = run("decisions", "reject", first["decision_id"], "--by", "bob", "--comment", "wait", "--json")
    assert rejected["status"] == "rejected" and rejected["review"]["comment"] == "wait"
    result = CliRunner().invoke(main, ["decisions", "rerun", first["decision_id"]])
    assert result.exit_code == 0 and "attempt 2" in result.output
    second = run("ask", event, "--json")
    assert second["decision_id"] == first["decision_id"] and second["attempt"] == 2
    assert second["status"] == "awaiting_approval"


def test_reviewing_an_unknown_decision_is_a_clear_error(home: Path) -> None:
    result = CliRunner().invoke(main, ["decisions", "approve", "nope", "--by", "alice"])
    assert result.exit_code != 0 and "no decision 'nope'" in result.output

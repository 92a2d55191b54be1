"""The in-process evaluator over the real data file: the decision table, edits to the data file, bad data."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from orc_ai.errors import PolicyError
from orc_ai.policy.data import DATA_PATH, REGO_DIR, load_policy_data
from orc_ai.policy.decide import authorise_or_deny, open_policy_point
from orc_ai.policy.inprocess import InProcessEvaluator
from orc_ai_tests.policy.decision_table import CODES, FAILED_INVOICE, ROWS, request


@pytest.mark.parametrize(("request_", "code", "outcome"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_decision_table(request_, code, outcome) -> None:
    decision = InProcessEvaluator().authorise(request_)
    assert (decision.code, (decision.allowed, decision.approval_required)) == (code, outcome)
    assert decision.reason.startswith(f"{code}: ") and decision.evaluator == "in-process"


def test_table_covers_every_reason_the_rego_can_give() -> None:
    rego = (REGO_DIR / "authz.rego").read_text()
    rego_codes = set(re.findall(r'(?:deny|allow|pending)\(\s*"(\w+)"', rego))
    assert len(rego_codes) >= 14
    assert rego_codes == CODES  # "no_rule_matched" is the Rego default, unreachable from a valid PolicyInput


def test_reason_names_the_refused_part() -> None:
    pdp = InProcessEvaluator()
    assert "intruder" in pdp.authorise(request(agent="intruder")).reason
    assert (
        "#general" in pdp.authorise(request(tool="notify", effect="notify", arguments={"channel": "#general"})).reason
    )
    team = pdp.authorise(
        request(subject={"team": "finance-data"}, arguments={"dag_id": "orders_daily_etl", "task_id": "t"})
    )
    assert team.code == "team_mismatch" and "data-platform" in team.reason and "finance-data" in team.reason


def copy_policy(tmp_path: Path) -> Path:
    target = tmp_path / "rego"
    shutil.copytree(REGO_DIR, target)
    return target


def mark_retry_safe(data_path: Path, dag_id: str) -> None:
    raw = json.loads(data_path.read_text())
    raw["orc_ai_policy"]["dags"][dag_id]["retry_safe"] = True
    data_path.write_text(json.dumps(raw, indent=2))


def test_edited_data_file_is_picked_up(tmp_path: Path) -> None:
    data_path = copy_policy(tmp_path) / "data.json"
    pdp = InProcessEvaluator(data_path)
    retry = request(
        arguments={"dag_id": "billing_invoice_export", "task_id": "generate_invoice_lines"}, subject=FAILED_INVOICE
    )
    assert pdp.authorise(retry).code == "approval_required"
    mark_retry_safe(data_path, "billing_invoice_export")
    assert pdp.authorise(retry).code == "auto_approved"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda raw: raw["orc_ai_policy"]["tools"]["pause_dag"].update(effect="admin"), "effect"),
        (lambda raw: raw["orc_ai_policy"]["tools"]["pause_dag"].update(target_args=[]), "dag_id"),
        (lambda raw: raw["orc_ai_policy"]["dags"]["fx_rates_hourly"].pop("team"), "team"),
        (lambda raw: raw.pop("orc_ai_policy"), "orc_ai_policy"),
    ],
    ids=["unknown effect", "act tool without dag target", "dag without team", "no root key"],
)
def test_invalid_data_file_is_a_policy_error_and_denies(tmp_path: Path, edit, message: str) -> None:
    data_path = copy_policy(tmp_path) / "data.json"
    raw = json.loads(data_path.read_text())
    edit(raw)
    data_path.write_text(json.dumps(raw))
    with pytest.raises(PolicyError, match=message):
        load_policy_data(data_path)
    decision = authorise_or_deny(InProcessEvaluator(data_path), request())
    assert (decision.allowed, decision.approval_required, decision.code) == (False, False, "pdp_failed")
    assert str(data_path) in decision.reason


def test_missing_or_broken_data_file_denies(tmp_path: Path) -> None:
    missing = authorise_or_deny(InProcessEvaluator(tmp_path / "nothing.json"), request())
    assert missing.code == "pdp_failed" and not missing.allowed
    broken = tmp_path / "data.json"
    broken.write_text("{not json")
    assert authorise_or_deny(InProcessEvaluator(broken), request()).code == "pdp_failed"


def test_without_opa_url_the_in_process_evaluator_decides() -> None:
    pdp = open_policy_point(None)
    assert isinstance(pdp, InProcessEvaluator) and pdp.data_path == DATA_PATH
    assert authorise_or_deny(pdp, request()).evaluator == "in-process"

"""One decision table over the real data file: every rule, every denial path, the prompt-injection case.

Each row is (id, request, expected code, allowed, approval_required). Both evaluators must give exactly this.
"""

from __future__ import annotations

from typing import Any

from orc_ai.policy.models import PolicyInput

APPROVAL = {"approved_by": "oncall@example.com", "comment": "checked the logs"}
FAILED_LOAD = {"dag_id": "orders_daily_etl", "task_id": "load_to_snowflake", "team": "data-platform"}
FAILED_INVOICE = {"dag_id": "billing_invoice_export", "task_id": "generate_invoice_lines", "team": "finance-data"}


def request(**fields: Any) -> PolicyInput:
    """A clear_task of the failed load by the offline agent, with the given fields replaced."""
    base: dict[str, Any] = {
        "agent": "offline",
        "tool": "clear_task",
        "effect": "act",
        "arguments": {"dag_id": "orders_daily_etl", "task_id": "load_to_snowflake"},
        "subject": FAILED_LOAD,
        "event_type": "airflow_task_failure",
    }
    return PolicyInput.model_validate(base | fields)


def read(tool: str, **fields: Any) -> PolicyInput:
    return request(**{"tool": tool, "effect": "read", "arguments": {"query": "load_to_snowflake failed"}} | fields)


def notify(arguments: dict[str, Any], tool: str = "notify", **fields: Any) -> PolicyInput:
    return request(**{"tool": tool, "effect": "notify", "arguments": arguments} | fields)


def pause(dag_id: Any = "orders_daily_etl", **fields: Any) -> PolicyInput:
    return request(tool="pause_dag", arguments={} if dag_id is None else {"dag_id": dag_id}, **fields)


DENY, ALLOW, PENDING = (False, False), (True, False), (False, True)

ROWS: list[tuple[str, PolicyInput, str, tuple[bool, bool]]] = [
    # deny by default: who and what must be known, and the claimed effect must be the data file's
    ("unknown agent", request(agent="intruder"), "unknown_agent", DENY),
    ("unknown agent reading", read("search_graph", agent="intruder"), "unknown_agent", DENY),
    ("unknown tool", request(tool="drop_database"), "unknown_tool", DENY),
    ("act tool claimed as read", request(effect="read"), "effect_mismatch", DENY),
    ("notify tool claimed as read", notify({"channel": "#data-ops"}, effect="read"), "effect_mismatch", DENY),
    # read
    ("read by the offline agent", read("search_graph"), "read_allowed", ALLOW),
    ("read by the observer agent", read("get_task_history", agent="reports"), "read_allowed", ALLOW),
    ("read from document text", read("entity_neighbourhood", from_document_text=True), "read_allowed", ALLOW),
    ("forecast lookup", read("forecast_lookup", event_type="forecast_risk"), "read_allowed", ALLOW),
    # notify
    ("notify allow-listed channel", notify({"channel": "#data-ops", "text": "x"}), "notify_allowed", ALLOW),
    ("notify second channel", notify({"channel": "#orc-ai-alerts"}, agent="reports"), "notify_allowed", ALLOW),
    ("notify other channel", notify({"channel": "#general", "text": "x"}), "channel_not_allowed", DENY),
    ("notify without channel", notify({"text": "x"}), "channel_not_allowed", DENY),
    ("notify channel not a string", notify({"channel": ["#data-ops"]}), "channel_not_allowed", DENY),
    ("ticket (no channel rule)", notify({"title": "t"}, tool="create_ticket"), "notify_allowed", ALLOW),
    # act: the prompt-injection defence comes first and holds even with a person's approval
    ("injection: pause every DAG", pause("*", from_document_text=True), "document_text_intent", DENY),
    (
        "injection: pause every DAG, approved",
        pause("*", from_document_text=True, approval=APPROVAL),
        "document_text_intent",
        DENY,
    ),
    (
        "injection: pause one DAG, approved",
        pause(from_document_text=True, approval=APPROVAL),
        "document_text_intent",
        DENY,
    ),
    ("document text: auto-approvable retry", request(from_document_text=True), "document_text_intent", DENY),
    # act: one exact target
    ("wildcard dag", pause("*", subject={}), "bulk_target", DENY),
    ("pattern dag", pause("orders_*", subject={}), "bulk_target", DENY),
    ("dag list", pause(["orders_daily_etl", "fx_rates_hourly"], subject={}), "bulk_target", DENY),
    ("empty dag id", pause("", subject={}), "bulk_target", DENY),
    ("missing dag", pause(None, subject={}), "bulk_target", DENY),
    ("dag id with trailing newline", pause("orders_daily_etl\n", subject={}), "bulk_target", DENY),
    ("clear without task", request(arguments={"dag_id": "orders_daily_etl"}, subject={}), "bulk_target", DENY),
    (
        "clear with wildcard task",
        request(arguments={"dag_id": "orders_daily_etl", "task_id": "*"}),
        "bulk_target",
        DENY,
    ),
    ("target from the subject", request(arguments={}), "auto_approved", ALLOW),
    # act: the call must be about the event's DAG and task
    (
        "arguments name another dag",
        request(arguments={"dag_id": "fx_rates_hourly", "task_id": "load_to_snowflake"}),
        "subject_mismatch",
        DENY,
    ),
    (
        "arguments name another task",
        request(arguments={"dag_id": "orders_daily_etl", "task_id": "extract_orders"}),
        "subject_mismatch",
        DENY,
    ),
    # act: roles
    ("llm agent may not pause", pause(agent="llm"), "role_denies_tool", DENY),
    ("llm agent may not trigger", request(agent="llm", tool="trigger_dag_run"), "role_denies_tool", DENY),
    ("observer may not clear", request(agent="reports"), "role_denies_tool", DENY),
    ("llm agent may clear", request(agent="llm"), "auto_approved", ALLOW),
    # act: DAG known and owned by the event's team
    (
        "unknown dag",
        request(arguments={"dag_id": "shadow_dag", "task_id": "t"}, subject={}),
        "unknown_dag",
        DENY,
    ),
    ("other team's dag", request(subject=FAILED_LOAD | {"team": "finance-data"}), "team_mismatch", DENY),
    (
        "other team's dag, approved",
        request(subject=FAILED_LOAD | {"team": "finance-data"}, approval=APPROVAL),
        "team_mismatch",
        DENY,
    ),
    ("no team in the event", request(subject=FAILED_LOAD | {"team": None}), "auto_approved", ALLOW),
    # act: auto-approve rule, else a person
    ("retry failed task, retry-safe dag", request(), "auto_approved", ALLOW),
    (
        "retry failed task, dag not retry-safe",
        request(
            arguments={"dag_id": "billing_invoice_export", "task_id": "generate_invoice_lines"},
            subject=FAILED_INVOICE,
        ),
        "approval_required",
        PENDING,
    ),
    (
        "retry, not retry-safe, approved",
        request(
            arguments={"dag_id": "billing_invoice_export", "task_id": "generate_invoice_lines"},
            subject=FAILED_INVOICE,
            approval=APPROVAL,
        ),
        "human_approved",
        ALLOW,
    ),
    ("retry asked in a question", request(event_type="question"), "approval_required", PENDING),
    ("retry on a data-quality event", request(event_type="data_quality"), "approval_required", PENDING),
    ("pause one dag", pause(), "approval_required", PENDING),
    ("pause one dag, approved", pause(approval=APPROVAL), "human_approved", ALLOW),
    (
        "trigger a run",
        request(tool="trigger_dag_run", arguments={"dag_id": "fx_rates_hourly"}, subject={}),
        "approval_required",
        PENDING,
    ),
    (
        "trigger a run, approved",
        request(tool="trigger_dag_run", arguments={"dag_id": "fx_rates_hourly"}, subject={}, approval=APPROVAL),
        "human_approved",
        ALLOW,
    ),
]

CODES = {code for _, _, code, _ in ROWS}

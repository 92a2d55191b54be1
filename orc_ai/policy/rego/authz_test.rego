# `opa test orc_ai/policy/rego` (run by orc_ai_tests/policy/test_rego.py): one test per rule and per denial path,
# against the real data.json, plus checks that the data file itself is sound.
package orc_ai.authz_test

import data.orc_ai.authz

base := {
	"agent": "offline",
	"tool": "clear_task",
	"effect": "act",
	"arguments": {"dag_id": "orders_daily_etl", "task_id": "load_to_snowflake"},
	"subject": {"dag_id": "orders_daily_etl", "task_id": "load_to_snowflake", "asset_key": null, "team": "data-platform"},
	"event_type": "airflow_task_failure",
	"from_document_text": false,
	"approval": null,
}

code_for(request) := code if {
	code := authz.decision.code with input as request
}

# base with the given top-level fields replaced (object.union alone would merge nested objects)
req(patch) := object.union(object.remove(base, object.keys(patch)), patch)

# base's subject with the given fields replaced
subj(patch) := object.union(base.subject, patch)

test_unknown_agent_denied if {
	d := authz.decision with input as req({"agent": "intruder"})
	d.code == "unknown_agent"
	not d.allowed
	not d.approval_required
}

test_unknown_tool_denied if code_for(req({"tool": "drop_database"})) == "unknown_tool"

test_claimed_effect_must_match_the_data_file if {
	code_for(req({"effect": "read"})) == "effect_mismatch"
}

test_read_allowed_for_known_agents if {
	d := authz.decision with input as req({"agent": "reports", "tool": "search_graph", "effect": "read"})
	d.allowed
	d.code == "read_allowed"
}

test_read_allowed_even_from_document_text if {
	request := req({"tool": "get_task_history", "effect": "read", "from_document_text": true})
	code_for(request) == "read_allowed"
}

test_notify_allowed_to_listed_channel if {
	request := req({"tool": "notify", "effect": "notify", "arguments": {"channel": "#data-ops"}})
	d := authz.decision with input as request
	d.allowed
	d.code == "notify_allowed"
}

test_notify_denied_to_other_channel if {
	request := req({"tool": "notify", "effect": "notify", "arguments": {"channel": "#general"}})
	d := authz.decision with input as request
	not d.allowed
	d.code == "channel_not_allowed"
	contains(d.reason, "#general")
}

test_notify_without_channel_denied if {
	request := req({"tool": "notify", "effect": "notify", "arguments": {}})
	code_for(request) == "channel_not_allowed"
}

test_notify_tool_without_channel_list_allowed if {
	code_for(req({"tool": "create_ticket", "effect": "notify"})) == "notify_allowed"
}

test_retry_of_failed_task_on_retry_safe_dag_auto_approved if {
	d := authz.decision with input as base
	d.allowed
	d.code == "auto_approved"
	contains(d.reason, "retry_failed_task_on_retry_safe_dag")
}

test_retry_on_dag_not_retry_safe_waits_for_approval if {
	request := req({
		"arguments": {"dag_id": "billing_invoice_export", "task_id": "generate_invoice_lines"},
		"subject": subj({"dag_id": "billing_invoice_export", "task_id": "generate_invoice_lines", "team": "finance-data"}),
	})
	d := authz.decision with input as request
	not d.allowed
	d.approval_required
	d.code == "approval_required"
}

test_retry_for_a_question_waits_for_approval if {
	code_for(req({"event_type": "question"})) == "approval_required"
}

test_pause_waits_for_approval_then_runs_with_it if {
	request := req({"tool": "pause_dag", "arguments": {"dag_id": "orders_daily_etl"}})
	code_for(request) == "approval_required"
	approved := object.union(request, {"approval": {"approved_by": "oncall@example.com", "comment": "ok"}})
	d := authz.decision with input as approved
	d.allowed
	d.code == "human_approved"
	contains(d.reason, "oncall@example.com")
}

test_document_text_act_denied_even_with_approval if {
	request := req({
		"tool": "pause_dag",
		"arguments": {"dag_id": "orders_daily_etl"},
		"from_document_text": true,
		"approval": {"approved_by": "oncall@example.com", "comment": ""},
	})
	d := authz.decision with input as request
	not d.allowed
	not d.approval_required
	d.code == "document_text_intent"
}

test_document_text_auto_approvable_retry_denied if {
	code_for(req({"from_document_text": true})) == "document_text_intent"
}

test_wildcard_dag_denied if {
	request := req({"tool": "pause_dag", "arguments": {"dag_id": "*"}, "subject": subj({"team": null})})
	code_for(request) == "bulk_target"
}

test_missing_dag_denied if {
	request := req({"tool": "pause_dag", "arguments": {}, "subject": subj({"dag_id": null, "team": null})})
	code_for(request) == "bulk_target"
}

test_missing_task_for_clear_denied if {
	request := req({"arguments": {"dag_id": "orders_daily_etl"}, "subject": subj({"task_id": null, "team": null})})
	code_for(request) == "bulk_target"
}

test_target_falls_back_to_the_subject if {
	code_for(req({"arguments": {}})) == "auto_approved"
}

test_arguments_naming_another_dag_than_the_event_denied if {
	request := req({"arguments": {"dag_id": "fx_rates_hourly", "task_id": "load_to_snowflake"}})
	code_for(request) == "subject_mismatch"
}

test_role_must_grant_the_tool if {
	code_for(req({"agent": "llm", "tool": "pause_dag"})) == "role_denies_tool"
	code_for(req({"agent": "reports"})) == "role_denies_tool"
	code_for(req({"agent": "llm"})) == "auto_approved"
}

test_unknown_dag_denied if {
	request := req({
		"arguments": {"dag_id": "shadow_dag", "task_id": "t"},
		"subject": subj({"dag_id": null, "task_id": null, "team": null}),
	})
	code_for(request) == "unknown_dag"
}

test_team_must_own_the_dag if {
	code_for(req({"subject": subj({"team": "finance-data"})})) == "team_mismatch"
}

test_no_team_in_event_skips_the_team_rule if {
	code_for(req({"subject": subj({"team": null})})) == "auto_approved"
}

test_unmatched_effect_denied_by_default if {
	d := authz.decision with input as req({"effect": "admin"}) with data.orc_ai_policy.tools.clear_task as {"effect": "admin"}
	not d.allowed
	d.code == "no_rule_matched"
}

test_every_act_tool_targets_a_dag if {
	every _, tool in data.orc_ai_policy.tools {
		targets_a_dag(tool)
	}
}

targets_a_dag(tool) if tool.effect != "act"

targets_a_dag(tool) if "dag_id" in tool.target_args

test_every_granted_tool_is_an_act_tool if {
	every _, role in data.orc_ai_policy.roles {
		every tool in role.act_tools {
			data.orc_ai_policy.tools[tool].effect == "act"
		}
	}
}

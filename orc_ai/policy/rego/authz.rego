# Authorisation of ORC AI tool calls (Rego v1). Input: orc_ai.policy.models.PolicyInput as JSON.
# Data: data.json beside this file (data.orc_ai_policy): agents and their roles, tools and their effect, DAGs
# and their owning team and attributes, auto-approve rules. orc_ai/policy/inprocess.py applies the same rules
# to the same file; the parity test in orc_ai_tests/policy keeps the two equal, so change both together.
#
# The decision is the first rule that matches, in this order; nothing matched is a denial.
package orc_ai.authz

cfg := data.orc_ai_policy

tool_cfg := cfg.tools[input.tool]

default decision := {
	"allowed": false,
	"approval_required": false,
	"code": "no_rule_matched",
	"reason": "no_rule_matched: no rule allows this call (deny by default)",
}

decision := deny("unknown_agent", sprintf("agent %s is not in the policy data", [input.agent])) if {
	not cfg.agents[input.agent]
} else := deny("unknown_tool", sprintf("tool %s is not in the policy data", [input.tool])) if {
	not tool_cfg
} else := deny("effect_mismatch", sprintf(
	"tool %s is a %s tool, the call claims %s",
	[input.tool, tool_cfg.effect, input.effect],
)) if {
	tool_cfg.effect != input.effect
} else := allow("read_allowed", sprintf("read tool %s is open to every known agent", [input.tool])) if {
	input.effect == "read"
} else := deny("channel_not_allowed", sprintf(
	"channel %s is not allow-listed for %s",
	[channel_name, input.tool],
)) if {
	input.effect == "notify"
	not channel_allowed
} else := allow("notify_allowed", sprintf("notify tool %s is allowed", [input.tool])) if {
	input.effect == "notify"
} else := act_decision if {
	input.effect == "act"
}

act_decision := deny(
	"document_text_intent",
	"the intent for this act call came from document text; act calls are never taken on a document's word",
) if {
	input.from_document_text == true
} else := deny("bulk_target", sprintf(
	"%s needs one exact %s: a missing or wildcard target is never acted on",
	[input.tool, concat(", ", target_args)],
)) if {
	some k in target_args
	not valid_target(k)
} else := deny("subject_mismatch", sprintf(
	"the call targets %s %v, the event is about %v",
	mismatches[0],
)) if {
	count(mismatches) > 0
} else := deny("role_denies_tool", sprintf(
	"no role of agent %s (%s) grants %s",
	[input.agent, concat(", ", agent_roles), input.tool],
)) if {
	not role_grants_tool
} else := deny("unknown_dag", sprintf("DAG %s is not in the policy data", [dag_id])) if {
	not cfg.dags[dag_id]
} else := deny("team_mismatch", sprintf(
	"DAG %s belongs to team %s, the event's team is %s",
	[dag_id, cfg.dags[dag_id].team, input.subject.team],
)) if {
	input.subject.team != null
	input.subject.team != cfg.dags[dag_id].team
} else := allow("human_approved", sprintf(
	"%s on %s approved by %s",
	[input.tool, dag_id, input.approval.approved_by],
)) if {
	input.approval != null
} else := allow("auto_approved", sprintf("%s on %s allowed by rule %s", [input.tool, dag_id, auto_rules[0]])) if {
	count(auto_rules) > 0
} else := pending("approval_required", sprintf("%s on %s waits for a person's approval", [input.tool, dag_id]))

deny(code, text) := {"allowed": false, "approval_required": false, "code": code, "reason": concat(": ", [code, text])}

allow(code, text) := {"allowed": true, "approval_required": false, "code": code, "reason": concat(": ", [code, text])}

pending(code, text) := {"allowed": false, "approval_required": true, "code": code, "reason": concat(": ", [code, text])}

channel_name := name if {
	name := input.arguments.channel
	is_string(name)
} else := "(none)"

# A notify tool without a channel list in the data file may notify anywhere it knows (e.g. create_ticket).
channel_allowed if not tool_cfg.channels

channel_allowed if input.arguments.channel in tool_cfg.channels

target_args := object.get(tool_cfg, "target_args", [])

# The target named in the arguments, else the event's subject.
target(k) := v if {
	v := input.arguments[k]
	v != null
} else := v if {
	v := input.subject[k]
	v != null
}

# A helper rule, so that an undefined target makes it false (a call nested in `not` would not).
valid_target(k) if {
	v := target(k)
	is_string(v)
	regex.match(cfg.target_id_pattern, v)
}

dag_id := target("dag_id")

# [name, argument value, subject value] for each target the arguments name differently from the event.
mismatches := [[k, a, s] |
	some k in target_args
	a := input.arguments[k]
	a != null
	s := input.subject[k]
	s != null
	a != s
]

agent_roles := cfg.agents[input.agent].roles

role_grants_tool if {
	some role in agent_roles
	input.tool in cfg.roles[role].act_tools
}

auto_rules := [rule.id |
	some rule in cfg.auto_approve
	rule.tool == input.tool
	input.event_type in rule.event_types
	cfg.dags[dag_id][rule.dag_flag] == true
]

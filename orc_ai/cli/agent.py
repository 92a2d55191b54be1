"""``orc-ai ask`` and ``orc-ai decisions list|approve|reject|rerun``."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from orc_ai.agent.models import Decision
from orc_ai.agent.service import agent_db, decide_all
from orc_ai.agent.store import DecisionStore
from orc_ai.cli import main
from orc_ai.errors import OrcAIError
from orc_ai.events.models import AgentEvent, event_id


def parse_event(text: str, team: str | None = None) -> AgentEvent:
    """A question, or an event given as JSON (``id`` and ``occurred_at`` filled in when missing)."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            raw = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise click.BadParameter(f"not valid JSON: {exc}") from None
        raw.setdefault("source", "cli")
        # the id comes from the JSON as given, so asking about the same event again finds its decision
        raw.setdefault("id", event_id(str(raw.get("type")), "cli", json.dumps(raw, sort_keys=True)))
        raw.setdefault("occurred_at", datetime.now(UTC).isoformat())
        try:
            return AgentEvent.model_validate(raw)
        except ValueError as exc:
            raise click.BadParameter(f"not a valid event: {exc}") from None
    return AgentEvent(id=event_id("question", "cli", stripped), type="question", source="cli",
                      occurred_at=datetime.now(UTC), payload={"question": stripped}, team=team)


def decision_json(decision: Decision) -> dict:
    return decision.model_dump(mode="json")


def _print(decision: Decision, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(decision_json(decision)))
        return
    click.echo(f"{decision.decision_id}  [{decision.status}]  {decision.decision}")
    for call in decision.tool_calls:
        policy = call.policy
        verdict = "allowed" if policy.allowed else "approval required" if policy.approval_required else "denied"
        click.echo(f"  - {call.tool}({json.dumps(call.arguments)}): {verdict} ({call.policy.reason}); "
                   f"executed={call.executed}{'; ' + call.error if call.error else ''}")
    for citation in decision.citations:
        click.echo(f"  [{citation.chunk_id}] {citation.doc_name}: {citation.text[:100]!r}")


@main.command()
@click.argument("question_or_event")
@click.option("--team", default=None, help="Team of the asker (policies may use it).")
@click.option("--planner", type=click.Choice(["offline", "llm"]), default="offline", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
def ask(question_or_event: str, team: str | None, planner: str, as_json: bool) -> None:
    """Decide about a question or an event (JSON) against the graph under $ORC_AI_HOME."""
    from orc_ai.cli.agent_session import agent_session

    event = parse_event(question_or_event, team)
    try:
        with agent_session(planner=planner) as runner:
            (decision,) = decide_all(runner, [event])
    except OrcAIError as exc:
        raise click.ClickException(str(exc)) from None
    _print(decision, as_json)


@main.group()
def decisions() -> None:
    """List decisions and review the ones awaiting approval."""


@decisions.command("list")
@click.option("--status", default=None, help="Only this status (e.g. awaiting_approval).")
@click.option("--json", "as_json", is_flag=True)
def list_decisions(status: str | None, as_json: bool) -> None:
    with DecisionStore(agent_db()) as store:
        for decision in store.list(status):
            _print(decision, as_json)


def _review(decision_id: str, verdict: str, reviewer: str, comment: str, run: bool, as_json: bool) -> None:
    try:
        with DecisionStore(agent_db()) as store:
            decision = store.review(decision_id, verdict, reviewer, comment)
            event = store.event(decision.event_id)
        if verdict == "approved" and run and event is not None:
            from orc_ai.cli.agent_session import agent_session

            with agent_session(planner=decision.planner, with_retriever=False) as runner:
                decision = runner.decide(event)
    except OrcAIError as exc:
        raise click.ClickException(str(exc)) from None
    _print(decision, as_json)


@decisions.command()
@click.argument("decision_id")
@click.option("--by", "reviewer", required=True, help="Who approves.")
@click.option("--comment", default="")
@click.option("--run/--no-run", default=True, help="Run the released calls now (default) or at the next run.")
@click.option("--json", "as_json", is_flag=True)
def approve(decision_id: str, reviewer: str, comment: str, run: bool, as_json: bool) -> None:
    """Approve the calls a decision is waiting on; they are re-authorised with the approval and run."""
    _review(decision_id, "approved", reviewer, comment, run, as_json)


@decisions.command()
@click.argument("decision_id")
@click.option("--by", "reviewer", required=True, help="Who rejects.")
@click.option("--comment", default="")
@click.option("--json", "as_json", is_flag=True)
def reject(decision_id: str, reviewer: str, comment: str, as_json: bool) -> None:
    """Reject a decision: nothing it waits on runs. `orc-ai decisions rerun` decides its event again."""
    _review(decision_id, "rejected", reviewer, comment, False, as_json)


@decisions.command()
@click.argument("decision_id")
def rerun(decision_id: str) -> None:
    """Archive a rejected decision; the next run (or `orc-ai ask` with the event) decides afresh."""
    try:
        with DecisionStore(agent_db()) as store:
            attempt = store.rerun(decision_id)
    except OrcAIError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{decision_id}: attempt {attempt} will be decided at the next run")

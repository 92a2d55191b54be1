"""``orc-ai events add|list``: put a question in the agent's inbox; show the latest agent_events table."""

from __future__ import annotations

import click

from orc_ai import settings
from orc_ai.cli import main
from orc_ai.errors import IngestError
from orc_ai.events.inbox import add_question
from orc_ai.events.table import read_events


@main.group("events")
def events() -> None:
    """Events the agent decides about (questions, failed checks, Airflow failures, forecast risks)."""


@events.command("add")
@click.argument("question")
@click.option("--team", default=None, help="Team the question is asked for.")
@click.option("--tenant", default=None, help="Tenant the question is asked for.")
def add(question: str, team: str | None, tenant: str | None) -> None:
    """Write QUESTION into $ORC_AI_HOME/inbox and print its event id (agent_inbox_sensor picks it up)."""
    try:
        event = add_question(settings.inbox_dir(), question, team=team, tenant=tenant)
    except IngestError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(event.id)


@events.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_events(as_json: bool) -> None:
    """The events of the latest agent_events materialisation (nothing before the first)."""
    for event in read_events(settings.asset_dir()):
        if as_json:
            click.echo(event.model_dump_json())
        else:
            subject = " ".join(f"{k}={v}" for k, v in event.subject.model_dump(exclude_none=True).items())
            click.echo(f"{event.id}\t{event.type}\t{event.occurred_at:%Y-%m-%dT%H:%M:%SZ}\t{subject or event.query}")

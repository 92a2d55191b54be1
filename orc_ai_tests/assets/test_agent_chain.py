"""The whole asset graph to reports on the bundled corpus and sample inbox: decisions are grounded, written to
the graph, re-materialising neither duplicates nor re-acts, and removing an event equals a fresh load."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest

from orc_ai.agent.table import decisions_from_frame
from orc_ai.events.operations import latest_failed_tries
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.settings import BUNDLED_CORPUS_DIR, REPO_ROOT
from orc_ai_tests.assets.conftest import ChainRunner, checks, table
from orc_ai_tests.reports.slack_server import SlackEndpoint

pytestmark = pytest.mark.slow
SAMPLE_INBOX = REPO_ROOT / "orc_ai" / "sample_inbox"
AGENT = ["agent_events", "quarantined_events", "agent_decisions", "reports"]


@pytest.fixture
def slack():
    with SlackEndpoint() as endpoint:
        yield endpoint


def test_the_chain_decides_the_inbox_once_and_converges_when_an_event_goes(
    chain: ChainRunner, tmp_path: Path, slack: SlackEndpoint
) -> None:
    home = tmp_path / "home"
    shutil.copytree(SAMPLE_INBOX, home / "inbox")
    env = {"ORC_AI_SLACK_TOKEN": "xoxb-test", "ORC_AI_SLACK_BASE_URL": slack.base_url,
           "ORC_AI_SLACK_CHANNEL": "#data-ops"}
    first = chain.run(home, BUNDLED_CORPUS_DIR, env=env)
    assert first.success and all(checks(first).values()), checks(first)
    decisions = decisions_from_frame(table(home, "agent_decisions"))
    # the inbox's two questions and two failures, and the bundled history's failed tasks of its last 72 hours
    history = latest_failed_tries(table(home, "airflow_task_runs"), timedelta(hours=72))
    assert history.height >= 2 and {"load_to_snowflake", "fetch_rates"} <= set(history["task_id"])
    failures = 2 + history.height
    assert sorted(d.event_type for d in decisions) == ["airflow_task_failure"] * failures + ["question"] * 2
    chunk_ids = set(table(home, "chunks")["chunk_id"])
    assert all(d.citations and {c.chunk_id for c in d.citations} <= chunk_ids for d in decisions)
    by_dag = {d.tool_calls[0].arguments["dag_id"]: d for d in decisions if d.event_type == "airflow_task_failure"}
    assert by_dag["billing_invoice_export"].status == "awaiting_approval"  # not retry-safe: a person decides
    stats = EmbeddedGraphStore(home / "graph").stats()
    assert stats.decisions == len(decisions) and stats.cites == sum(len(d.citations) for d in decisions)
    posts, tickets = len(slack.calls("chat.postMessage")), pl.read_parquet(home / "tickets.parquet").height
    assert posts >= failures and tickets == failures  # notify + create_ticket per failure (the report posts too)
    assert table(home, "reports").height == len(decisions)
    # every failure cites the task's tries; one of the history's own cites that very try first
    assert all(d.run_citations for d in decisions if d.event_type == "airflow_task_failure")
    own = {(r["dag_id"], r["run_id"], r["task_id"], r["try_number"]) for r in history.iter_rows(named=True)}
    firsts = {(c.dag_id, c.run_id, c.task_id, c.try_number) for d in decisions for c in d.run_citations[:1]}
    assert own <= firsts

    again = chain.run(home, BUNDLED_CORPUS_DIR, selection=AGENT, env=env)
    assert again.success
    assert decisions_from_frame(table(home, "agent_decisions")) == decisions  # same decisions, same calls
    assert pl.read_parquet(home / "tickets.parquet").height == tickets
    assert len(slack.calls("chat.postMessage")) - posts <= 1  # at most the report's own message again, no notify

    (home / "inbox" / "question-owner-billing.md").unlink()
    assert chain.run(home, BUNDLED_CORPUS_DIR, selection=AGENT, env=env).success
    fresh = tmp_path / "fresh"
    shutil.copytree(home / "inbox", fresh / "inbox")
    assert chain.run(fresh, BUNDLED_CORPUS_DIR, env=env).success
    left = table(home, "agent_decisions").drop("created_at", "record")
    assert left.equals(table(fresh, "agent_decisions").drop("created_at", "record"))
    assert left.height == len(decisions) - 1
    assert timeless(EmbeddedGraphStore(home / "graph").dump()) == timeless(EmbeddedGraphStore(fresh / "graph").dump())


def timeless(dump) -> dict:
    """The dump without the decisions' creation times (the only thing a fresh load decides differently)."""
    plain = dump.model_dump()
    for node in plain["nodes"]:
        node["properties"].pop("created_at", None)
    return plain

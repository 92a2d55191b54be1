"""Slack delivery with the real slack_sdk client against a local HTTP endpoint."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from slack_sdk import WebClient

from orc_ai.reports.files import write_report
from orc_ai.reports.models import GROWTH_SCHEMA
from orc_ai.reports.render import render_report
from orc_ai.reports.slack import RECORD_NAME, deliver_to_slack
from orc_ai_tests.reports.decisions import communities_table, sample_decisions
from orc_ai_tests.reports.slack_server import SlackEndpoint


def _written(tmp_path: Path):
    rendered = render_report(sample_decisions(), communities_table(), pl.DataFrame(schema=GROWTH_SCHEMA))
    return rendered.summary, write_report(rendered, tmp_path / "reports")


def test_summary_message_and_html_upload_reach_slack(slack_endpoint: SlackEndpoint, tmp_path: Path) -> None:
    summary, written = _written(tmp_path)
    client = WebClient(token="xoxb-test-token", base_url=slack_endpoint.base_url)
    delivery = deliver_to_slack(client, "#data-ops", summary, written)

    assert delivery.delivered and delivery.error is None and delivery.file_id == "F0REPORT"
    (post,) = slack_endpoint.calls("chat.postMessage")
    assert post["auth"] == "Bearer xoxb-test-token"
    assert post["body"]["channel"] == "#data-ops"
    text = post["body"]["text"]
    assert text.startswith("ORC AI report: 3 decisions (1 awaiting_approval, 2 decided)")
    assert "2 executed, 1 awaiting approval, 1 denied" in text and str(written.html_path) in text
    (url,) = slack_endpoint.calls("files.getUploadURLExternal")
    assert url["body"]["filename"] == "report.html" and int(url["body"]["length"]) == written.html_path.stat().st_size
    (upload,) = [r for r in slack_endpoint.requests if r["path"] == "/upload/F0REPORT"]
    assert upload["body"] == written.html_path.read_bytes()
    (complete,) = slack_endpoint.calls("files.completeUploadExternal")
    assert complete["body"]["channel_id"] == "C0REPORTS"  # the id chat.postMessage answered with
    assert complete["body"]["thread_ts"] == delivery.ts
    assert json.loads((written.directory / RECORD_NAME).read_text())["ts"] == delivery.ts


def test_a_report_is_delivered_once_per_channel(slack_endpoint: SlackEndpoint, tmp_path: Path) -> None:
    summary, written = _written(tmp_path)
    client = WebClient(token="xoxb-test-token", base_url=slack_endpoint.base_url)
    first = deliver_to_slack(client, "#data-ops", summary, written, upload=False)
    again = deliver_to_slack(client, "#data-ops", summary, written, upload=False)
    assert again.repeated and again.delivered and again.ts == first.ts
    assert len(slack_endpoint.calls("chat.postMessage")) == 1
    other = deliver_to_slack(client, "#elsewhere", summary, written, upload=False)
    assert other.delivered and not other.repeated
    assert [r["body"]["channel"] for r in slack_endpoint.calls("chat.postMessage")] == ["#data-ops", "#elsewhere"]
    assert slack_endpoint.calls("files.getUploadURLExternal") == []


def test_a_slack_error_is_recorded_not_raised(slack_endpoint: SlackEndpoint, tmp_path: Path) -> None:
    summary, written = _written(tmp_path)
    slack_endpoint.fail_with = "channel_not_found"
    client = WebClient(token="xoxb-test-token", base_url=slack_endpoint.base_url)
    failed = deliver_to_slack(client, "#gone", summary, written)
    assert not failed.delivered and "channel_not_found" in failed.error and "SlackApiError" in failed.error
    assert not (written.directory / RECORD_NAME).exists()  # the next run tries again
    slack_endpoint.fail_with = None
    assert deliver_to_slack(client, "#gone", summary, written).delivered


def test_an_unreachable_slack_is_recorded_not_raised(tmp_path: Path) -> None:
    summary, written = _written(tmp_path)
    with SlackEndpoint() as gone:
        base_url = gone.base_url
    client = WebClient(token="xoxb-test-token", base_url=base_url, timeout=5)
    failed = deliver_to_slack(client, "#data-ops", summary, written)
    assert not failed.delivered and failed.error
    assert "xoxb-test-token" not in failed.error


def test_an_answer_slack_never_gives_is_recorded_not_raised(tmp_path: Path) -> None:
    """An endpoint that answers every method with a bare ok (no upload URL) must not fail the report."""
    from orc_ai_tests.agent.agent_parts import Endpoint

    summary, written = _written(tmp_path)
    endpoint = Endpoint()
    try:
        delivery = deliver_to_slack(WebClient(token="xoxb-test", base_url=f"{endpoint.url}/"), "#data-ops", summary,
                                    written)
    finally:
        endpoint.stop()
    assert not delivery.delivered and "ValueError" in delivery.error

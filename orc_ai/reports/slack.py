"""Deliver a written report to Slack with a real ``slack_sdk.WebClient``: a summary message and the HTML file in
its thread. Failures are recorded, not raised: a report that Slack did not take is still a report."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pydantic import BaseModel
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from orc_ai.reports.models import ReportSummary, WrittenReport

RECORD_NAME = "slack_delivery.json"


class SlackDelivery(BaseModel):
    delivered: bool
    channel: str
    ts: str | None = None  # the message's timestamp (Slack's message id)
    file_id: str | None = None
    error: str | None = None
    repeated: bool = False  # this report was already delivered to this channel; nothing was sent again


def slack_text(summary: ReportSummary, written: WrittenReport) -> str:
    """The message: counts a person reads in a notification, and where the full report is."""
    if not summary.decisions:
        head = "ORC AI report: no decisions yet."
    else:
        statuses = ", ".join(f"{n} {s}" for s, n in summary.by_status.items())
        calls = summary.calls
        head = (
            f"ORC AI report: {summary.decisions} decision{'s' if summary.decisions != 1 else ''} ({statuses}); "
            f"tool calls: {calls['executed']} executed, {calls['awaiting_approval']} awaiting approval, "
            f"{calls['denied']} denied."
        )
    return f"{head}\nReport: {written.html_path}"


def deliver_to_slack(
    client: WebClient, channel: str, summary: ReportSummary, written: WrittenReport, upload: bool = True
) -> SlackDelivery:
    """Post the summary to ``channel`` and upload the HTML report in its thread, once per report and channel
    (a record in the report's folder says it was done, so re-materialising does not post it again)."""
    record = written.directory / RECORD_NAME
    if record.exists():
        done = SlackDelivery.model_validate_json(record.read_text())
        if done.delivered and done.channel == channel:
            return done.model_copy(update={"repeated": True})
    try:
        posted = client.chat_postMessage(channel=channel, text=slack_text(summary, written))
        file_id = None
        if upload:
            uploaded = client.files_upload_v2(
                channel=posted["channel"],  # the id: uploads need it, a message takes a name too
                thread_ts=posted["ts"],
                file=str(written.html_path),
                filename=written.html_path.name,
                title="ORC AI agent report",
            )
            file_id = (uploaded.get("file") or {}).get("id")
    except (SlackClientError, OSError, ValueError, KeyError) as exc:  # API errors, bad answers, unreachable host
        return SlackDelivery(delivered=False, channel=channel, error=f"{type(exc).__name__}: {exc}"[:500])
    delivery = SlackDelivery(delivered=True, channel=channel, ts=posted["ts"], file_id=file_id)
    record.write_text(json.dumps({**delivery.model_dump(), "delivered_at": datetime.now(UTC).isoformat()}, indent=2))
    return delivery

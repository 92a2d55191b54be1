"""The reports step from plain values: render, write, deliver to Slack when configured, and tabulate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
from pydantic import BaseModel, ConfigDict
from slack_sdk import WebClient

from orc_ai.agent.models import Decision
from orc_ai.reports.files import write_report
from orc_ai.reports.models import RenderedReport, ReportSection, WrittenReport
from orc_ai.reports.render import render_report
from orc_ai.reports.slack import SlackDelivery, deliver_to_slack
from orc_ai.reports.table import report_rows


class PublishedReport(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    rendered: RenderedReport
    written: WrittenReport
    delivery: SlackDelivery | None  # None: Slack not configured
    table: pl.DataFrame

    def metadata(self) -> dict[str, Any]:
        """Plain values for the materialisation (the asset adds the Markdown and path types)."""
        s, d = self.rendered.summary, self.delivery
        return {
            "decisions": s.decisions,
            "by_event_type": s.by_event_type,
            "by_status": s.by_status,
            "calls_executed": s.calls["executed"],
            "calls_awaiting_approval": s.calls["awaiting_approval"],
            "calls_denied": s.calls["denied"],
            "calls_not_executed": s.calls["not_executed"],
            "citations": s.citations,
            "plots": [p.name for p in self.rendered.plots],
            "digest": self.rendered.digest,
            "slack": "not configured" if d is None else ("delivered" if d.delivered else "failed"),
            "slack_error": (d.error if d else None) or "",
        }


def publish_report(
    decisions: list[Decision],
    communities: pl.DataFrame,
    growth: pl.DataFrame,
    reports_dir: Path,
    slack: tuple[WebClient, str] | None = None,
    extra_sections: list[ReportSection] | None = None,
    upload: bool = True,
) -> PublishedReport:
    """Render and write the report; post it to Slack (``(client, channel)``) when given, with the HTML in the
    thread when ``upload``; one row per decision."""
    rendered = render_report(decisions, communities, growth, extra_sections)
    written = write_report(rendered, reports_dir)
    delivery = deliver_to_slack(*slack, rendered.summary, written, upload=upload) if slack else None
    return PublishedReport(
        rendered=rendered, written=written, delivery=delivery, table=report_rows(decisions, written, delivery)
    )

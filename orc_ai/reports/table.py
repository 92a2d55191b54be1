"""The ``reports`` table: one row per decision in the report, where the report is and whether Slack has it."""

from __future__ import annotations

import polars as pl

from orc_ai.agent.models import Decision
from orc_ai.reports.models import WrittenReport
from orc_ai.reports.slack import SlackDelivery

REPORTS_SCHEMA = {
    "decision_id": pl.String,
    "event_id": pl.String,
    "event_type": pl.String,
    "status": pl.String,
    "decision": pl.String,
    "citations": pl.Int64,
    "executed_calls": pl.Int64,
    "report_path": pl.String,
    "delivered_to_slack": pl.Boolean,
    "slack_error": pl.String,  # null when delivered or when Slack is not configured
}


def report_rows(decisions: list[Decision], written: WrittenReport, delivery: SlackDelivery | None) -> pl.DataFrame:
    """Sorted by decision id; the same decisions and report give the same table."""
    rows = [
        {
            "decision_id": d.decision_id,
            "event_id": d.event_id,
            "event_type": d.event_type,
            "status": d.status,
            "decision": d.decision,
            "citations": len(d.citations),
            "executed_calls": sum(c.executed for c in d.tool_calls),
            "report_path": str(written.markdown_path),
            "delivered_to_slack": bool(delivery and delivery.delivered),
            "slack_error": delivery.error if delivery else None,
        }
        for d in sorted(decisions, key=lambda d: d.decision_id)
    ]
    return pl.DataFrame(rows, schema=REPORTS_SCHEMA)

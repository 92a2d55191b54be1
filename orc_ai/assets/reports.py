"""reports: the agent's decisions as Markdown and HTML with plots, posted to Slack when configured."""

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults, settings
from orc_ai.agent.table import decisions_from_frame
from orc_ai.assets import AGENT, downstream_automation
from orc_ai.reports.models import GROWTH_SCHEMA
from orc_ai.reports.publish import publish_report
from orc_ai.reports.render import truncate_markdown
from orc_ai.resources.local_state import LocalStateResource
from orc_ai.resources.slack import SlackResource

_COUNTS = [c for c in GROWTH_SCHEMA if c != "materialised_at"]


class ReportsConfig(dg.Config):
    growth_history: int = Field(
        default=defaults.REPORT_GROWTH_HISTORY, description="Newest neo4j_graph materialisations in the growth plot."
    )
    slack_upload: bool = Field(default=True, description="Upload the HTML report in the Slack message's thread.")


def graph_growth(instance: dg.DagsterInstance, limit: int) -> tuple[pl.DataFrame, int]:
    """Counts from past neo4j_graph materialisations, oldest first, and how many lacked them (not plotted)."""
    records = instance.fetch_materializations(dg.AssetKey("neo4j_graph"), limit=limit).records
    rows, skipped = [], 0
    for record in records:
        meta = record.asset_materialization.metadata if record.asset_materialization else {}
        if not all(k in meta for k in _COUNTS):
            skipped += 1
            continue
        at = datetime.fromtimestamp(record.timestamp, UTC)
        rows.append({"materialised_at": at, **{k: int(meta[k].value) for k in _COUNTS}})
    return pl.DataFrame(rows, schema=GROWTH_SCHEMA).sort("materialised_at"), skipped


@dg.asset(group_name=AGENT, automation_condition=downstream_automation())
def reports(
    context: dg.AssetExecutionContext,
    config: ReportsConfig,
    state: LocalStateResource,
    slack: SlackResource,
    agent_decisions: pl.DataFrame,
    communities: pl.DataFrame,
) -> dg.Output[pl.DataFrame]:
    """Report of the agent's decisions with their citations, community sizes and graph growth; one row per decision."""
    growth, skipped = graph_growth(context.instance, config.growth_history)
    published = publish_report(
        decisions_from_frame(agent_decisions),
        communities,
        growth,
        settings.reports_dir(Path(state.home)),
        slack=slack.report_target(),
        upload=config.slack_upload,
    )
    written, markdown = published.written, published.rendered.markdown
    shown = truncate_markdown(markdown, defaults.REPORT_METADATA_MAX_CHARS, str(written.markdown_path))
    return dg.Output(
        published.table,
        metadata=published.metadata()
        | {"growth_points": growth.height, "growth_skipped": skipped, "report": dg.MetadataValue.md(shown)}
        | {
            "report_dir": dg.MetadataValue.path(str(written.directory)),
            "markdown_path": dg.MetadataValue.path(str(written.markdown_path)),
            "html_path": dg.MetadataValue.path(str(written.html_path)),
            "latest_dir": dg.MetadataValue.path(str(written.latest_dir)),
        },
    )

"""Gate on the reports asset."""

from pathlib import Path

import dagster as dg
import polars as pl

from orc_ai.agent.table import decisions_from_frame
from orc_ai.checks import latest_metadata
from orc_ai.reports.verify import report_problems


@dg.asset_check(asset="reports", blocking=True, additional_ins={"agent_decisions": dg.AssetIn()})
def reports_complete(context: dg.AssetCheckExecutionContext, agent_decisions: pl.DataFrame) -> dg.AssetCheckResult:
    """The report rendered and is non-empty: a section per decision with each citation's document and text, and
    the HTML has the same sections with its plots embedded."""
    meta = latest_metadata(context, "reports")
    if not (meta.get("markdown_path") and meta.get("html_path")):
        problems = ["no report paths in the reports materialisation metadata"]
    else:
        paths = Path(meta["markdown_path"]), Path(meta["html_path"])
        problems = report_problems(*paths, decisions_from_frame(agent_decisions))
    return dg.AssetCheckResult(
        passed=not problems,
        metadata={"problems": problems[:20], "problem_count": len(problems), "report": str(meta.get("markdown_path"))},
    )

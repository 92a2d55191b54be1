"""What a report is made of: a summary of the decisions, plots, sections, and where the files went."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from orc_ai.agent.models import ToolCall

# one row per neo4j_graph materialisation, oldest first (the asset layer reads them from the instance)
GROWTH_SCHEMA = {
    "materialised_at": pl.Datetime("us", "UTC"),
    "documents": pl.Int64,
    "chunks": pl.Int64,
    "entities": pl.Int64,
    "relations": pl.Int64,
    "communities": pl.Int64,
}

CallOutcome = Literal["executed", "awaiting_approval", "denied", "not_executed"]
CALL_OUTCOMES: tuple[CallOutcome, ...] = ("executed", "awaiting_approval", "denied", "not_executed")


def call_outcome(call: ToolCall) -> CallOutcome:
    """What became of a call: run, waiting for a person, refused, or allowed but not run (no backend, error)."""
    if call.executed:
        return "executed"
    if call.policy.allowed:
        return "not_executed"
    return "awaiting_approval" if call.policy.approval_required else "denied"


def policy_label(call: ToolCall) -> str:
    if call.policy.allowed:
        return "allowed"
    return "approval required" if call.policy.approval_required else "denied"


class ReportSummary(BaseModel):
    """Counts over all decisions in the report."""

    model_config = ConfigDict(frozen=True)

    decisions: int
    by_event_type: dict[str, int] = Field(default_factory=dict)
    by_status: dict[str, int] = Field(default_factory=dict)
    calls: dict[str, int] = Field(default_factory=lambda: dict.fromkeys(CALL_OUTCOMES, 0))
    citations: int = 0


class Plot(BaseModel):
    """A rendered PNG: ``name`` is its file name next to the report."""

    model_config = ConfigDict(frozen=True)

    name: str
    title: str
    png: bytes


class ReportSection(BaseModel):
    """An extra section after the plots: Markdown text (already escaped by its author) and optional plots.
    Forecast bands (next issue) come in this way."""

    model_config = ConfigDict(frozen=True)

    title: str
    markdown: str = ""
    plots: list[Plot] = Field(default_factory=list)


class RenderedReport(BaseModel):
    """The report in both formats, before it is written."""

    model_config = ConfigDict(frozen=True)

    summary: ReportSummary
    markdown: str
    html: str
    plots: list[Plot]
    digest: str  # content hash of the Markdown and the plots: the report's folder name


class WrittenReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    directory: Path
    markdown_path: Path
    html_path: Path
    plot_paths: list[Path]
    latest_dir: Path

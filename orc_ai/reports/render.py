"""Render decisions, communities and graph history into Markdown and self-contained HTML with plots."""

from __future__ import annotations

import base64
import functools
import json
import re
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import polars as pl

from orc_ai import defaults
from orc_ai.agent.models import Decision
from orc_ai.hashing import stable_hash
from orc_ai.reports.models import CALL_OUTCOMES, Plot, RenderedReport, ReportSection, ReportSummary, call_outcome
from orc_ai.reports.models import policy_label as _policy_label
from orc_ai.reports.plots import community_sizes_plot, decisions_plot, graph_growth_plot

if TYPE_CHECKING:
    from jinja2 import Environment

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")  # the rest only acts at a line start or after these
NO_GROWTH_NOTE = "No neo4j_graph materialisation recorded yet: graph growth appears after the first one."
NO_COMMUNITIES_NOTE = "No communities yet: community sizes appear once the communities asset has run."
NO_DECISIONS_NOTE = "No decisions yet: the decisions plot appears with the first decision."


def md_escape(text: str) -> str:
    """Text as literal Markdown: one line, no markup, no raw HTML (corpus and LLM text reach the report)."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_code(text: str) -> str:
    """An inline code span that holds any text: the fence is longer than any backtick run inside."""
    text = " ".join(str(text).split())
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if "`" in text else f"`{text}`"


def shorten(text: str, limit: int = defaults.REPORT_CITATION_CHARS) -> str:
    """Whitespace collapsed, cut at a word boundary to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut + "…"


def summarise(decisions: list[Decision]) -> ReportSummary:
    """Decision counts by event type and status, tool calls by outcome, citations."""
    calls = Counter(call_outcome(c) for d in decisions for c in d.tool_calls)
    return ReportSummary(
        decisions=len(decisions),
        by_event_type=dict(sorted(Counter(d.event_type for d in decisions).items())),
        by_status=dict(sorted(Counter(d.status for d in decisions).items())),
        calls={outcome: calls.get(outcome, 0) for outcome in CALL_OUTCOMES},
        citations=sum(len(d.citations) for d in decisions),
    )


def _by_type_and_status(decisions: list[Decision]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = {}
    for d in decisions:
        table.setdefault(d.event_type, Counter())[d.status] += 1
    return {t: dict(c) for t, c in table.items()}


@functools.cache  # built on first use: jinja2 is imported only when a report is rendered
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("orc_ai.reports", "templates"),
        autoescape=False,  # Markdown: every value goes through |md or |code instead
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.filters.update(
        md=md_escape,
        code=md_code,
        shorten=shorten,
        policy_label=_policy_label,
        arguments=lambda args: md_code(json.dumps(args, sort_keys=True, default=str, ensure_ascii=False)),
    )
    return env


def _markdown(context: dict[str, Any], src: Callable[[Plot], str]) -> str:
    text = _environment().get_template("report.md.j2").render(**context, src=src)
    return re.sub(r"\n{3,}", "\n\n", text)


def _data_uri(plot: Plot) -> str:
    return "data:image/png;base64," + base64.b64encode(plot.png).decode("ascii")


def render_report(
    decisions: list[Decision],
    communities: pl.DataFrame,
    growth: pl.DataFrame,
    extra_sections: list[ReportSection] | None = None,
) -> RenderedReport:
    """The report: summary, plots (or a note where there is nothing to plot), ``extra_sections`` (the hook for
    forecast bands), then every decision, newest first, with tool calls, policy results and citations."""
    ordered = sorted(decisions, key=lambda d: (-d.created_at.timestamp(), d.decision_id))
    summary = summarise(ordered)
    candidates = [
        (decisions_plot(_by_type_and_status(ordered)), NO_DECISIONS_NOTE),
        (community_sizes_plot(communities), NO_COMMUNITIES_NOTE),
        (graph_growth_plot(growth), NO_GROWTH_NOTE),
    ]
    plots = [plot for plot, _ in candidates if plot is not None]
    sections = extra_sections or []
    context = {
        "summary": summary,
        "latest": ordered[0].created_at.isoformat(timespec="seconds") if ordered else None,
        "plots": plots,
        "notes": [note for plot, note in candidates if plot is None],
        "sections": sections,
        "decisions": ordered,
    }
    import markdown as markdown_lib

    text = _markdown(context, src=lambda plot: plot.name)
    body = markdown_lib.markdown(_markdown(context, src=_data_uri), extensions=["tables", "sane_lists"])
    html = _environment().get_template("report.html.j2").render(title="ORC AI agent report", body=body)
    all_plots = plots + [p for s in sections for p in s.plots]
    digest = stable_hash(text, *(stable_hash(p.name, base64.b64encode(p.png).decode()) for p in all_plots))
    return RenderedReport(summary=summary, markdown=text, html=html, plots=all_plots, digest=digest)


def truncate_markdown(text: str, max_chars: int, full_path: str) -> str:
    """At most ``max_chars`` characters, cut at a line end, with a note saying where the whole report is."""
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars].rsplit("\n", 1)[0]
    return f"{cut}\n\n_Truncated: {len(cut)} of {len(text)} characters shown; the full report is {full_path}._\n"

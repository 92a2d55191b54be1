"""Rendering real decisions: what the Markdown and HTML say, the plots they carry, and what they never let through."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import polars as pl
from bs4 import BeautifulSoup

from orc_ai.agent.models import RunCitation
from orc_ai.reports.models import GROWTH_SCHEMA, Plot, ReportSection
from orc_ai.reports.render import (
    NO_COMMUNITIES_NOTE,
    NO_GROWTH_NOTE,
    md_escape,
    render_report,
    shorten,
    truncate_markdown,
)
from orc_ai_tests.reports.decisions import LONG_TEXT, communities_table, sample_decisions

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _growth(n: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "materialised_at": [datetime(2026, 3, 1, h, tzinfo=UTC) for h in range(n)],
            "documents": [10 + i for i in range(n)],
            "chunks": [100 + 5 * i for i in range(n)],
            "entities": [400 + 9 * i for i in range(n)],
            "relations": [900 + 20 * i for i in range(n)],
            "communities": [30 + i for i in range(n)],
        },
        schema=GROWTH_SCHEMA,
    )


def _section(markdown: str, decision_id: str) -> str:
    start = markdown.index(f"(`{decision_id}`)")
    end = markdown.find("\n### ", start)
    return markdown[start : end if end >= 0 else None]


def test_markdown_has_every_decision_with_its_calls_policy_and_citations() -> None:
    decisions = sample_decisions()
    report = render_report(decisions, communities_table(), _growth(3))
    md = report.markdown
    for d in decisions:
        section = _section(md, d.decision_id)
        assert md_escape(d.decision) in section
        assert f"{d.confidence:.2f}" in section
        for call in d.tool_calls:
            assert f"`{call.tool}` ({call.effect})" in section
            assert md_escape(call.policy.reason) in section
        for c in d.citations:
            assert f"**{md_escape(c.doc_name)}** (`{c.chunk_id}`)" in section
            assert md_escape(shorten(c.text)) in section
    airflow = _section(md, "dec-airflow-1")
    assert '`{"dag_id": "orders_etl", "task_id": "load"}`' in airflow
    assert "policy **approval required**" in airflow and "**not executed**" in airflow
    assert "policy **allowed**" in _section(md, "dec-question-1") and "**executed**" in _section(md, "dec-question-1")
    assert "policy **denied**" in _section(md, "dec-dq-1")
    # newest first
    assert md.index("dec-airflow-1") < md.index("dec-question-1") < md.index("dec-dq-1")


def test_summary_counts_decisions_and_calls_by_outcome() -> None:
    report = render_report(sample_decisions(), communities_table(), _growth(0))
    s = report.summary
    assert s.by_event_type == {"airflow_task_failure": 1, "data_quality": 1, "user_question": 1}
    assert s.by_status == {"awaiting_approval": 1, "decided": 2}
    assert s.calls == {"executed": 2, "awaiting_approval": 1, "denied": 1, "not_executed": 0}
    assert s.citations == 4
    assert "**2** executed, **1** awaiting approval, **1** denied" in report.markdown
    assert "| airflow\\_task\\_failure | 1 |" in report.markdown


def test_long_citations_are_shortened_at_a_word() -> None:
    short = shorten(LONG_TEXT, 80)
    assert len(short) <= 80 and short.endswith("…") and LONG_TEXT.startswith(short[:-1])
    assert shorten("  a\n b  ") == "a b"


def test_html_is_well_formed_and_embeds_every_plot() -> None:
    decisions = sample_decisions()
    report = render_report(decisions, communities_table(), _growth(3))
    soup = BeautifulSoup(report.html, "html.parser")
    assert soup.title.string == "ORC AI agent report"
    decisions_h2 = next(h for h in soup.find_all("h2") if h.get_text() == "Decisions")
    assert len(decisions_h2.find_all_next("h3")) == len(decisions)
    images = soup.find_all("img")
    assert [i["alt"] for i in images] == ["Decisions by event type and status", "Community sizes", "Graph growth"]
    for img, plot in zip(images, report.plots, strict=True):
        prefix, data = img["src"].split(",", 1)
        assert prefix == "data:image/png;base64"
        assert base64.b64decode(data) == plot.png
    assert {p.name for p in report.plots} == {"decisions.png", "community_sizes.png", "graph_growth.png"}
    for plot in report.plots:
        assert plot.png.startswith(PNG_SIGNATURE) and len(plot.png) > 1000
    text = soup.get_text()
    assert "orders_etl runbook (v2).md" in text and "Restart the broker when lag grows." in text


def test_corpus_and_llm_text_cannot_inject_markup() -> None:
    report = render_report(sample_decisions(), communities_table(), _growth(0))
    soup = BeautifulSoup(report.html, "html.parser")
    assert soup.find("script") is None and soup.find("b") is None
    assert all(img["src"].startswith("data:image/png") for img in soup.find_all("img"))
    text = soup.get_text()
    assert "<script>alert('x')</script>" in text  # shown as text
    assert "notes_<b>evil</b>.md" in text
    assert "`orders_etl` load *must* be retried once [runbook] | then paged." in text  # literal, not markup


def test_rendering_is_deterministic() -> None:
    one = render_report(sample_decisions(), communities_table(), _growth(2))
    two = render_report(list(reversed(sample_decisions())), communities_table(), _growth(2))
    assert one.digest == two.digest and one.html == two.html
    assert [p.png for p in one.plots] == [p.png for p in two.plots]
    changed = render_report(sample_decisions()[:2], communities_table(), _growth(2))
    assert changed.digest != one.digest


def test_no_decisions_no_communities_no_history_still_make_a_report() -> None:
    empty_communities = communities_table().clear()
    report = render_report([], empty_communities, pl.DataFrame(schema=GROWTH_SCHEMA))
    assert "No decisions yet" in report.markdown
    assert "## Summary" in report.markdown and "## Decisions" in report.markdown
    assert md_escape(NO_GROWTH_NOTE) in report.markdown and md_escape(NO_COMMUNITIES_NOTE) in report.markdown
    assert report.plots == [] and report.summary.decisions == 0
    assert BeautifulSoup(report.html, "html.parser").find("h1").get_text() == "ORC AI agent report"


def test_extra_sections_hook_renders_text_and_plots() -> None:
    base = render_report(sample_decisions(), communities_table(), _growth(1))
    band = Plot(name="forecast.png", title="Forecast bands", png=base.plots[0].png)
    forecasts = ReportSection(title="Forecasts", markdown="p95", plots=[band])
    report = render_report(sample_decisions(), communities_table(), _growth(1), [forecasts])
    md = report.markdown
    assert md.index("## Forecasts") < md.index("## Decisions") and "![Forecast bands](forecast.png)" in md
    assert "forecast.png" in [p.name for p in report.plots]


def test_truncated_markdown_keeps_whole_lines_and_says_where_the_rest_is() -> None:
    report = render_report(sample_decisions(), communities_table(), _growth(0))
    cut = truncate_markdown(report.markdown, 500, "/x/report.md")
    assert len(cut) < 700 and "Truncated:" in cut and "/x/report.md" in cut
    assert report.markdown.startswith(cut.split("\n\n_Truncated")[0])
    assert truncate_markdown(report.markdown, 10**6, "/x") == report.markdown


def test_community_sizes_are_binned_by_powers_of_two() -> None:
    from orc_ai.reports.plots import _size_bins

    assert _size_bins(116) == [(1, 1), (2, 3), (4, 7), (8, 15), (16, 31), (32, 63), (64, 127)]
    assert _size_bins(1) == [(1, 1)]


def test_a_decision_shows_the_airflow_tries_it_cites() -> None:
    decisions = sample_decisions()
    airflow = next(d for d in decisions if d.decision_id == "dec-airflow-1")
    tries = [
        RunCitation(run_key="run:a", dag_id="orders_etl", run_id="scheduled__d2", task_id="load", try_number=2,
                    state="failed", start_date=datetime(2026, 3, 2, 1, tzinfo=UTC), error_class="ProgrammingError",
                    error_message="000606 No active warehouse"),
        RunCitation(run_key="run:b", dag_id="orders_etl", run_id="scheduled__d1", task_id="load", try_number=1,
                    state="success"),
    ]
    decisions = [d.model_copy(update={"run_citations": tries}) if d is airflow else d for d in decisions]
    md = render_report(decisions, communities_table(), _growth(2)).markdown
    section = _section(md, "dec-airflow-1")
    assert "**Run history**" in section
    assert "run `scheduled__d2` try 2: **failed** at 2026-03-02T01:00:00+00:00 (ProgrammingError: 000606" in section
    assert "run `scheduled__d1` try 1: **success**" in section
    assert "Run history" not in _section(md, "dec-question-1")  # nothing cited, no heading

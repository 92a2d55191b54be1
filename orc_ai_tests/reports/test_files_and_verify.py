"""Written reports (content-addressed folder, latest copy, real PNGs) and the completeness check's logic."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from orc_ai.reports.files import HTML_NAME, MARKDOWN_NAME, write_report
from orc_ai.reports.models import GROWTH_SCHEMA, WrittenReport
from orc_ai.reports.render import md_escape, render_report, shorten
from orc_ai.reports.verify import report_problems
from orc_ai_tests.reports.decisions import communities_table, sample_decisions

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def written(tmp_path: Path) -> WrittenReport:
    rendered = render_report(sample_decisions(), communities_table(), pl.DataFrame(schema=GROWTH_SCHEMA))
    return write_report(rendered, tmp_path / "reports")


def test_report_folder_holds_markdown_html_and_real_pngs(written: WrittenReport, tmp_path: Path) -> None:
    assert written.directory.parent == tmp_path / "reports" and written.directory.name != "latest"
    assert sorted(p.name for p in written.directory.iterdir()) == sorted(
        [MARKDOWN_NAME, HTML_NAME, "decisions.png", "community_sizes.png"]
    )
    for png in written.plot_paths:
        data = png.read_bytes()
        assert data.startswith(PNG_SIGNATURE) and png.stat().st_size > 1000
        assert f"]({png.name})" in written.markdown_path.read_text()  # the Markdown links the file beside it
    for f in written.directory.iterdir():
        assert (written.latest_dir / f.name).read_bytes() == f.read_bytes()


def test_same_content_same_folder_new_content_new_folder_and_latest_follows(
    written: WrittenReport, tmp_path: Path
) -> None:
    again = write_report(
        render_report(sample_decisions(), communities_table(), pl.DataFrame(schema=GROWTH_SCHEMA)),
        tmp_path / "reports",
    )
    assert again == written
    fewer = write_report(
        render_report(sample_decisions()[:1], communities_table(), pl.DataFrame(schema=GROWTH_SCHEMA)),
        tmp_path / "reports",
    )
    assert fewer.directory != written.directory and written.markdown_path.exists()
    assert (fewer.latest_dir / MARKDOWN_NAME).read_text() == fewer.markdown_path.read_text()
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == sorted(
        [written.directory.name, fewer.directory.name, "latest"]
    )  # no temporary folders left behind


def test_a_complete_report_has_no_problems(written: WrittenReport) -> None:
    assert report_problems(written.markdown_path, written.html_path, sample_decisions()) == []


def test_a_report_missing_a_citation_fails(written: WrittenReport) -> None:
    decisions = sample_decisions()
    cited = decisions[0].citations[1]
    md = written.markdown_path.read_text()
    written.markdown_path.write_text(md.replace(md_escape(shorten(cited.text)), "(cut)"))
    problems = report_problems(written.markdown_path, written.html_path, decisions)
    assert problems == [f"decision dec-question-1: citation {cited.chunk_id} ({cited.doc_name}) missing"]


def test_a_citation_in_another_decisions_section_does_not_count(written: WrittenReport) -> None:
    decisions = sample_decisions()
    stray = decisions[0].citations[0].model_copy(update={"chunk_id": "chunk-a2"})
    decisions[2] = decisions[2].model_copy(update={"citations": [*decisions[2].citations, stray]})
    problems = report_problems(written.markdown_path, written.html_path, decisions)
    assert problems == [f"decision dec-dq-1: citation chunk-a2 ({stray.doc_name}) missing"]


def test_a_report_missing_a_decision_or_files_fails(written: WrittenReport, tmp_path: Path) -> None:
    decisions = sample_decisions()
    extra = decisions[0].model_copy(update={"decision_id": "dec-unreported"})
    problems = report_problems(written.markdown_path, written.html_path, [*decisions, extra])
    assert "decision dec-unreported: 0 sections, expected 1" in problems
    assert "HTML has 3 decision sections for 4 decisions" in problems
    assert report_problems(tmp_path / "none.md", written.html_path, decisions) == [
        f"report file missing: {tmp_path / 'none.md'}"
    ]
    empty = tmp_path / "empty.md"
    empty.write_text("")
    assert "heading missing: ## Summary" in report_problems(empty, written.html_path, [])


def test_an_html_report_that_links_its_plots_fails(written: WrittenReport) -> None:
    html = written.html_path.read_text()
    written.html_path.write_text(html.replace('src="data:image/png;base64,', 'src="decisions.png#', 1))
    assert report_problems(written.markdown_path, written.html_path, sample_decisions()) == [
        "HTML links an image instead of embedding it"
    ]


def test_an_empty_report_passes_for_no_decisions(tmp_path: Path) -> None:
    rendered = render_report([], communities_table().clear(), pl.DataFrame(schema=GROWTH_SCHEMA))
    written = write_report(rendered, tmp_path / "reports")
    assert written.markdown_path.stat().st_size > 0
    assert report_problems(written.markdown_path, written.html_path, []) == []
    assert report_problems(written.markdown_path, written.html_path, sample_decisions()[:1]) != []

"""The reports asset and its check, materialised on small in-memory agent_decisions and communities tables."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from orc_ai.agent.models import Decision
from orc_ai.agent.table import DECISIONS_SCHEMA, decisions_to_frame
from orc_ai.assets.reports import reports
from orc_ai.checks.reports import reports_complete
from orc_ai.reports.models import GROWTH_SCHEMA
from orc_ai.reports.render import md_escape, render_report, shorten
from orc_ai.reports.table import REPORTS_SCHEMA
from orc_ai_tests.reports.decisions import communities_table, sample_decisions
from orc_ai_tests.reports.slack_server import SlackEndpoint

GRAPH_COUNTS = {"documents": 12, "chunks": 140, "entities": 520, "relations": 1300, "communities": 41}


def _upstream(decisions: list[Decision], communities: pl.DataFrame) -> list[dg.AssetsDefinition]:
    """Stand-ins for the agent_decisions and communities assets (their real outputs' schemas)."""

    @dg.asset(name="agent_decisions")
    def agent_decisions() -> pl.DataFrame:
        return decisions_to_frame(decisions) if decisions else pl.DataFrame(schema=DECISIONS_SCHEMA)

    @dg.asset(name="communities")
    def communities_asset() -> pl.DataFrame:
        return communities

    return [agent_decisions, communities_asset]


def _run(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    decisions: list[Decision],
    instance: dg.DagsterInstance | None = None,
    slack: SlackEndpoint | None = None,
    report_asset: dg.AssetsDefinition = reports,
) -> dg.ExecuteInProcessResult:
    monkeypatch.setenv("ORC_AI_HOME", str(home))
    if slack:
        monkeypatch.setenv("ORC_AI_SLACK_TOKEN", "xoxb-test-token")
        monkeypatch.setenv("ORC_AI_SLACK_BASE_URL", slack.base_url)
        monkeypatch.setenv("ORC_AI_SLACK_CHANNEL", "#data-ops")
    from orc_ai.definitions import build_resources

    return dg.materialize(
        [*_upstream(decisions, communities_table()), report_asset, reports_complete],
        resources=build_resources(),
        instance=instance or dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def _metadata(result: dg.ExecuteInProcessResult) -> dict:
    (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey("reports")]
    return {k: getattr(v, "value", v) for k, v in event.materialization.metadata.items()}


def _check(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    (evaluation,) = result.get_asset_check_evaluations()
    return evaluation


def test_report_is_written_checked_tabulated_and_posted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slack_endpoint: SlackEndpoint
) -> None:
    home, decisions = tmp_path / "home", sample_decisions()
    instance = dg.DagsterInstance.ephemeral()
    for i in range(2):  # past neo4j_graph materialisations, as the graph asset records them
        counts = {k: v + 10 * i for k, v in GRAPH_COUNTS.items()}
        instance.report_runless_asset_event(dg.AssetMaterialization("neo4j_graph", metadata=counts))
    instance.report_runless_asset_event(dg.AssetMaterialization("neo4j_graph"))  # no counts: not plotted, counted

    result = _run(home, monkeypatch, decisions, instance, slack_endpoint)
    assert result.success and _check(result).passed, _check(result).metadata
    meta = _metadata(result)
    assert (meta["decisions"], meta["calls_executed"], meta["calls_awaiting_approval"]) == (3, 2, 1)
    assert (meta["growth_points"], meta["growth_skipped"]) == (2, 1)
    assert meta["plots"] == ["decisions.png", "community_sizes.png", "graph_growth.png"]
    md_path = Path(meta["markdown_path"])
    assert md_path.parent.parent == home / "reports" and Path(meta["latest_dir"]) == home / "reports" / "latest"
    assert meta["report"] == md_path.read_text()  # attached whole: it is small
    for d in decisions:
        for c in d.citations:
            assert md_escape(c.doc_name) in meta["report"] and md_escape(shorten(c.text)) in meta["report"]

    table = pl.read_parquet(home / "assets" / "reports.parquet")
    assert table.schema == pl.Schema(REPORTS_SCHEMA)
    assert table["decision_id"].to_list() == sorted(d.decision_id for d in decisions)
    assert set(table["report_path"]) == {str(md_path)} and table["delivered_to_slack"].all()
    assert table.filter(pl.col("decision_id") == "dec-airflow-1").row(0, named=True) | {"report_path": ""} == {
        "decision_id": "dec-airflow-1",
        "event_id": "evt-af-1",
        "event_type": "airflow_task_failure",
        "status": "awaiting_approval",
        "decision": "Clear orders_etl.load once, as the runbook says.",
        "citations": 1,
        "executed_calls": 1,
        "report_path": "",
        "delivered_to_slack": True,
        "slack_error": None,
    }
    (post,) = slack_endpoint.calls("chat.postMessage")
    assert post["body"]["channel"] == "#data-ops" and post["body"]["text"].startswith("ORC AI report: 3 decisions")
    assert meta["slack"] == "delivered"

    again = _run(home, monkeypatch, decisions, instance, slack_endpoint)
    assert again.success and _check(again).passed
    assert pl.read_parquet(home / "assets" / "reports.parquet").equals(table)  # idempotent
    assert len(slack_endpoint.calls("chat.postMessage")) == 1  # the same report is not posted twice


def test_rerun_after_an_upstream_change_matches_a_fresh_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = sample_decisions(), sample_decisions()[1:]
    new[0] = new[0].model_copy(update={"status": "approved"})
    assert _run(tmp_path / "a", monkeypatch, old).success
    rerun = _run(tmp_path / "a", monkeypatch, new)
    fresh = _run(tmp_path / "b", monkeypatch, new)
    assert rerun.success and fresh.success and _check(rerun).passed

    def relative(home: Path) -> pl.DataFrame:
        return pl.read_parquet(home / "assets" / "reports.parquet").with_columns(
            pl.col("report_path").str.replace(str(home), "", literal=True)
        )

    assert relative(tmp_path / "a").equals(relative(tmp_path / "b"))
    assert relative(tmp_path / "a")["decision_id"].to_list() == ["dec-airflow-1", "dec-dq-1"]
    for name in ("report.md", "report.html", "decisions.png"):
        latest = Path("reports") / "latest" / name
        assert (tmp_path / "a" / latest).read_bytes() == (tmp_path / "b" / latest).read_bytes()


def test_no_decisions_yet_still_reports_and_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(tmp_path / "home", monkeypatch, [])
    assert result.success and _check(result).passed
    meta = _metadata(result)
    assert meta["decisions"] == 0 and "No decisions yet" in meta["report"] and meta["slack"] == "not configured"
    assert pl.read_parquet(tmp_path / "home" / "assets" / "reports.parquet").schema == pl.Schema(REPORTS_SCHEMA)


def test_a_slack_error_is_recorded_and_the_asset_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slack_endpoint: SlackEndpoint
) -> None:
    slack_endpoint.fail_with = "not_in_channel"
    result = _run(tmp_path / "home", monkeypatch, sample_decisions(), slack=slack_endpoint)
    assert result.success and _check(result).passed
    meta = _metadata(result)
    assert meta["slack"] == "failed" and "not_in_channel" in meta["slack_error"]
    table = pl.read_parquet(tmp_path / "home" / "assets" / "reports.parquet")
    assert not table["delivered_to_slack"].any() and table["slack_error"].str.contains("not_in_channel").all()


def _spoiled_reports(home: Path, drop_citations: bool) -> dg.AssetsDefinition:
    """A reports asset whose report lost its citations' text (or that names no report at all)."""

    @dg.asset(name="reports", deps=["agent_decisions", "communities"])
    def spoiled() -> dg.Output[pl.DataFrame]:
        if not drop_citations:
            return dg.Output(pl.DataFrame(schema=REPORTS_SCHEMA))
        rendered = render_report(sample_decisions(), communities_table(), pl.DataFrame(schema=GROWTH_SCHEMA))
        markdown = rendered.markdown
        for d in sample_decisions():
            for c in d.citations:
                markdown = markdown.replace(md_escape(shorten(c.text)), "")
        folder = home / "reports" / "spoiled"
        folder.mkdir(parents=True)
        (folder / "report.md").write_text(markdown)
        (folder / "report.html").write_text(rendered.html)
        paths = {"markdown_path": str(folder / "report.md"), "html_path": str(folder / "report.html")}
        return dg.Output(pl.DataFrame(schema=REPORTS_SCHEMA), metadata=paths)

    return spoiled


@pytest.mark.parametrize("drop_citations", [True, False], ids=["citations_missing", "no_report"])
def test_check_fails_on_a_bad_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drop_citations: bool) -> None:
    home = tmp_path / "home"
    result = _run(home, monkeypatch, sample_decisions(), report_asset=_spoiled_reports(home, drop_citations))
    evaluation = _check(result)
    assert evaluation.passed is False
    problems = evaluation.metadata["problems"].value
    if drop_citations:
        assert evaluation.metadata["problem_count"].value == 4
        assert "decision dec-question-1: citation chunk-a (kafka_runbook.md) missing" in problems
    else:
        assert problems == ["no report paths in the reports materialisation metadata"]

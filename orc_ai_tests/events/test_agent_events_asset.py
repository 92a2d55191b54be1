"""The agent_events asset: inbox questions plus the failed checks a real run of this platform left in the instance,
and the CLI reading what the asset wrote."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from click.testing import CliRunner

from orc_ai.cli import main
from orc_ai.events.table import EVENTS_SCHEMA, read_events

pytestmark = pytest.mark.slow  # materialises real assets in an instance
CHECK = "raw_docs_quarantine_ratio"


def _materialize(instance: dg.DagsterInstance, selection: list[str]) -> dg.ExecuteInProcessResult:
    from orc_ai.definitions import all_assets, all_checks, build_resources

    return dg.materialize(
        [*all_assets, *all_checks],
        resources=build_resources(),
        selection=selection,
        instance=instance,
        raise_on_error=False,
    )


def _docs(folder: Path, bad: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / "runbook.md").write_text("# Kafka runbook\n\nRestart the consumer group once, then page the team.")
    for i in range(bad):
        (folder / f"dump{i}.txt").write_bytes(b"\x00\x01binary\x00" * 20)
    return folder


def _events(home: Path) -> pl.DataFrame:
    return pl.read_parquet(home / "assets" / "agent_events.parquet")


def test_questions_and_a_real_failed_check_become_events_until_the_check_passes(orc_home, tmp_path, monkeypatch):
    docs = _docs(tmp_path / "docs", bad=3)  # 3 of 4 files quarantined: the ratio check fails
    monkeypatch.setenv("ORC_AI_DOCS_DIR", str(docs))
    runner = CliRunner()
    added = runner.invoke(main, ["events", "add", "Why was raw_docs held?", "--team", "platform"])
    assert added.exit_code == 0, added.output
    question_id = added.output.strip()
    (orc_home / "inbox" / "broken.json").write_text("{")
    instance = dg.DagsterInstance.ephemeral()
    ingest = _materialize(instance, ["raw_docs", "quarantined_docs"])
    assert {e.check_name: e.passed for e in ingest.get_asset_check_evaluations()}[CHECK] is False

    first = _materialize(instance, ["agent_events", "quarantined_events"])
    assert first.success
    events = _events(orc_home)
    assert events.schema == pl.Schema(EVENTS_SCHEMA)
    failed = events.filter((pl.col("type") == "data_quality") & (pl.col("check_name") == CHECK)).to_dicts()
    assert len(failed) == 1 and failed[0]["asset_key"] == "raw_docs" and failed[0]["run_id"] == ingest.run_id
    payload = json.loads(failed[0]["payload"])
    assert payload["severity"] == "ERROR" and payload["metadata"], payload
    question = events.filter(pl.col("type") == "question").to_dicts()
    assert [q["id"] for q in question] == [question_id] and question[0]["team"] == "platform"
    quarantined = pl.read_parquet(orc_home / "assets" / "quarantined_events.parquet")
    assert quarantined.select("name", "reason").rows() == [("broken.json", "invalid_json")]

    again = _materialize(instance, ["agent_events"])  # same inbox, same instance: the same table
    assert again.success and _events(orc_home).equals(events)

    listed = runner.invoke(main, ["events", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert {json.loads(line)["id"] for line in listed.output.splitlines()} == set(events["id"])
    assert {e.id for e in read_events(orc_home / "assets")} == set(events["id"])

    _docs(docs, bad=0)  # fixed input: the check passes and its event is gone
    fixed = _materialize(instance, ["raw_docs", "quarantined_docs"])
    assert {e.check_name: e.passed for e in fixed.get_asset_check_evaluations()}[CHECK] is True
    _materialize(instance, ["agent_events"])
    assert CHECK not in _events(orc_home)["check_name"].to_list()


def test_a_rerun_after_inbox_changes_equals_a_fresh_load(orc_home, tmp_path, monkeypatch):
    inbox = orc_home / "inbox"
    inbox.mkdir(parents=True)
    for i in range(3):
        (inbox / f"q{i}.txt").write_text(f"question {i}?")
    instance = dg.DagsterInstance.ephemeral()
    _materialize(instance, ["agent_events"])
    (inbox / "q0.txt").unlink()
    (inbox / "q1.txt").write_text("question 1, reworded?")
    _materialize(instance, ["agent_events"])
    rerun = _events(orc_home)

    fresh_home = tmp_path / "fresh"
    shutil.copytree(inbox, fresh_home / "inbox", copy_function=shutil.copy2)
    monkeypatch.setenv("ORC_AI_HOME", str(fresh_home))
    _materialize(dg.DagsterInstance.ephemeral(), ["agent_events"])
    assert rerun.equals(_events(fresh_home)) and rerun.height == 2


def test_a_check_failure_reported_without_a_run_is_an_event_too(orc_home):
    """An evaluation reported from outside a run (``report_runless_asset_event``) counts, with its own id."""
    instance = dg.DagsterInstance.ephemeral()
    ids = []
    for passed in (False, False):
        instance.report_runless_asset_event(
            dg.AssetCheckEvaluation(
                asset_key=dg.AssetKey("chunks"),
                check_name="chunks_size_bounds",
                passed=passed,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={"too_long": 7},
            )
        )
        _materialize(instance, ["agent_events"])
        (row,) = _events(orc_home).filter(pl.col("type") == "data_quality").to_dicts()
        assert (row["asset_key"], row["check_name"]) == ("chunks", "chunks_size_bounds")
        assert row["run_id"].startswith("runless-") and json.loads(row["payload"])["severity"] == "WARN"
        ids.append(row["id"])
    assert len(set(ids)) == 2  # two failed executions: two events, the newer one current

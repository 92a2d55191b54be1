"""Every blocking check can fail: crafted bad input makes it fail and stops downstream, within the run and across
runs (automation), and the same asset with good input releases downstream again.

The chain runs once for real on the bundled corpus; each case then replaces one asset by a copy of its real output
spoiled in one way, materialised with the real checks and the real downstream asset in a copy of that home."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg
import numpy as np
import polars as pl
import pytest

from orc_ai.agent.models import Citation, Decision, ToolCall
from orc_ai.agent.table import decisions_to_frame
from orc_ai.extract.vocabulary import CO_OCCURS
from orc_ai.graph.embedded import EmbeddedGraphStore
from orc_ai.graph.loading import load_graph
from orc_ai.policy.models import PolicyDecision
from orc_ai_tests.assets.conftest import OPERATIONS_MODELS

pytestmark = pytest.mark.slow
Tables = dict[str, Any]


@dataclass
class Gate:
    check: str
    asset: str  # the asset the spoiled output replaces
    downstream: str | None  # a direct downstream asset the gate must hold (None: nothing downstream yet)
    spoil: Callable[[Tables, Path], Tables]
    metadata: dict[str, dict] | Callable[[Path], dict[str, dict]] = field(default_factory=dict)  # or from the home


def _junk_entities(t: Tables, home: Path) -> Tables:
    names = ["May 2024", "42", "Done", "European de", "3.5 GB", "Monday", "of the", "Q3", "2024-05-01", "Note"]
    n = t["entities"].height // 5
    extra = (
        t["entities"]
        .head(n)
        .with_columns(
            pl.Series("name", [f"{names[i % len(names)]}" if i < len(names) else f"{i} ms" for i in range(n)]),
            (pl.col("entity_id") + "_junk").alias("entity_id"),
        )
    )
    return {"entities": pl.concat([t["entities"], extra])}


def _near_duplicates(t: Tables, home: Path) -> Tables:
    n = t["entities"].height // 10
    extra = (
        t["entities"]
        .head(n)
        .with_columns(
            (pl.col("name").str.to_uppercase().str.replace_all(" ", "_") + "s").alias("name"),
            (pl.col("entity_id") + "_dup").alias("entity_id"),
        )
    )
    return {"entities": pl.concat([t["entities"], extra])}


def _permuted_vectors(t: Tables, home: Path) -> Tables:
    e = t["embeddings"]
    return {
        "embeddings": e.with_columns(pl.Series("vector", e["vector"].to_numpy()[::-1].copy(), dtype=e["vector"].dtype))
    }


def _nan_vector(t: Tables, home: Path) -> Tables:
    vectors = t["embeddings"]["vector"].to_numpy().copy()
    vectors[0, :] = np.nan
    return {
        "embeddings": t["embeddings"].with_columns(pl.Series("vector", vectors, dtype=t["embeddings"]["vector"].dtype))
    }


def _partial_graph(t: Tables, home: Path) -> Tables:
    """A load that lost half the entities: the store no longer matches the tables."""
    half = t["entities"].head(t["entities"].height // 2)
    relations = t["relations"].filter(
        pl.col("source_id").is_in(half["entity_id"].implode()) & pl.col("target_id").is_in(half["entity_id"].implode())
    )
    stats, _ = load_graph(
        EmbeddedGraphStore(home / "graph"), t["raw_docs"], t["chunks"], half, relations, t["embeddings"]
    )
    return {"neo4j_graph": stats.model_dump()}


def _one_community(t: Tables, home: Path) -> Tables:
    members = sorted(set(t["relations"]["source_id"].to_list()) | set(t["relations"]["target_id"].to_list()))
    c = t["communities"]
    row = c.head(1).with_columns(
        pl.lit(None, dtype=pl.String).alias("parent_id"),
        pl.lit(0, dtype=pl.Int64).alias("level"),
        pl.Series("entity_ids", [members], dtype=pl.List(pl.String)),
        pl.lit(len(members), dtype=pl.Int64).alias("size"),
    )
    return {"communities": row}


def _decision(t: Tables, event_id: str, **fields: Any) -> Decision:
    chunk = t["chunks"].row(0, named=True)
    cited = [Citation(chunk_id=chunk["chunk_id"], doc_name="runbooks/x.md", text=chunk["text"][:50])]
    return Decision(
        decision_id=fields.pop("decision_id", f"d-{event_id}"), event_id=event_id, event_type="question",
        planner="offline", planner_version="offline-v1", status="decided", decision="answered",
        created_at=datetime(2026, 1, 1, tzinfo=UTC), citations=fields.pop("citations", cited), **fields,
    )


def _ungrounded(t: Tables, home: Path) -> Tables:
    missing = Citation(chunk_id="no-such-chunk", doc_name="runbooks/gone.md", text="gone")
    return {"agent_decisions": decisions_to_frame([_decision(t, "e1"), _decision(t, "e2", citations=[missing])])}


def _executed_without_policy(t: Tables, home: Path) -> Tables:
    denied = PolicyDecision(allowed=False, reason="role_denies_tool: no", evaluator="in-process")
    call = ToolCall(call_id="c1", step=0, tool="pause_dag", arguments={"dag_id": "orders_daily_etl"}, effect="act",
                    policy=denied, executed=True)
    return {"agent_decisions": decisions_to_frame([_decision(t, "e1", tool_calls=[call])])}


def _duplicate_decisions(t: Tables, home: Path) -> Tables:
    twice = [_decision(t, "e1"), _decision(t, "e1", decision_id="d-e1-again")]
    return {"agent_decisions": decisions_to_frame(twice)}

def _report_without_decisions(t: Tables, home: Path) -> Tables:
    """The real report cut before its decisions: what a renderer that lost them would write."""
    latest, spoiled = home / "reports" / "latest", home / "reports" / "spoiled"
    spoiled.mkdir(parents=True)
    (spoiled / "report.md").write_text((latest / "report.md").read_text().split("\n## Decisions\n")[0])
    (spoiled / "report.html").write_text((latest / "report.html").read_text())
    return {}


def _spoiled_report_paths(home: Path) -> dict[str, dict]:
    spoiled = home / "reports" / "spoiled"
    return {"reports": {"markdown_path": str(spoiled / "report.md"), "html_path": str(spoiled / "report.html")}}


def _repeated_tries(t: Tables, home: Path) -> Tables:
    runs = _read(home, "airflow_task_runs")
    return {"airflow_task_runs": pl.concat([runs, runs.head(5)])}


def _impossible_rates(t: Tables, home: Path) -> Tables:
    return {"failure_forecast": _read(home, "failure_forecast").with_columns(pl.lit(1.7).alias("upper"))}


def _inverted_intervals(t: Tables, home: Path) -> Tables:
    forecast = _read(home, "task_duration_forecast")
    return {"task_duration_forecast": forecast.with_columns(lower=pl.col("upper") + 1.0)}


GATES = [
    Gate("raw_docs_quarantine_ratio", "raw_docs", "chunks", lambda t, h: {}, {"raw_docs": {"quarantined": 10_000}}),
    Gate(
        "raw_docs_text_quality",
        "raw_docs",
        "chunks",
        lambda t, h: {
            "raw_docs": t["raw_docs"]
            .with_columns(pl.col("text").str.replace_all("é|’|–", "Ã©"))
            .with_columns(pl.col("text") + " " + pl.lit("CafÃ© dÃ©jÃ  vu â€™ " * 40))
        },
    ),
    Gate(
        "chunks_size_bounds",
        "chunks",
        "entities",
        lambda t, h: {"chunks": t["chunks"].with_columns(pl.col("n_tokens") * 0 + 10_000)},
    ),
    Gate(
        "chunks_repeated_text",
        "chunks",
        "entities",
        lambda t, h: {"chunks": t["chunks"].with_columns(pl.lit("Confidential: internal use only.").alias("text"))},
    ),
    Gate("entities_junk_share", "entities", "embeddings", _junk_entities),
    Gate("entities_near_duplicates", "entities", "embeddings", _near_duplicates),
    Gate(
        "relations_typed_share",
        "relations",
        "neo4j_graph",
        lambda t, h: {"relations": t["relations"].with_columns(pl.lit(CO_OCCURS).alias("type"))},
    ),
    Gate("embeddings_valid_vectors", "embeddings", "neo4j_graph", _nan_vector),
    Gate("embeddings_no_drift", "embeddings", "neo4j_graph", _permuted_vectors),
    Gate("neo4j_graph_counts_match", "neo4j_graph", "communities", _partial_graph),
    Gate("communities_largest_share", "communities", "agent_decisions", _one_community),
    Gate("communities_modularity", "communities", "agent_decisions", _one_community),
    Gate("agent_decisions_grounded", "agent_decisions", "reports", _ungrounded),
    Gate("agent_decisions_authorised", "agent_decisions", "reports", _executed_without_policy),
    Gate("agent_decisions_unique", "agent_decisions", "reports", _duplicate_decisions),
    Gate("reports_complete", "reports", None, _report_without_decisions, _spoiled_report_paths),
    Gate("airflow_task_runs_valid", "airflow_task_runs", "failure_forecast", _repeated_tries),
    Gate("failure_forecast_valid", "failure_forecast", "pipeline_kpis", _impossible_rates),
    Gate("task_duration_forecast_valid", "task_duration_forecast", "agent_decisions", _inverted_intervals),
]


@pytest.fixture(scope="module")
def base_home(tmp_path_factory: pytest.TempPathFactory, bundled_chain) -> Path:
    """Every asset of the chain materialised for real on the bundled corpus: the session's chain, then the
    operations models and, with the sample inbox, the agent's assets again (checks not run here)."""
    from orc_ai.settings import BUNDLED_CORPUS_DIR

    home = bundled_chain.copy_home(tmp_path_factory.mktemp("gates") / "home")
    shutil.copytree(BUNDLED_CORPUS_DIR.parent / "sample_inbox", home / "inbox")  # so the agent has decisions
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ORC_AI_HOME", str(home))
        mp.setenv("ORC_AI_DOCS_DIR", str(bundled_chain.docs))
        from orc_ai.definitions import all_assets, build_resources

        rest = dg.AssetSelection.assets(*OPERATIONS_MODELS, "agent_events").downstream()
        assert dg.materialize(all_assets, resources=build_resources(), selection=rest).success
    return home


def _read(home: Path, key: str) -> Any:
    path = home / "assets" / f"{key}.parquet"
    return pl.read_parquet(path) if path.exists() else __import__("json").loads(path.with_suffix(".json").read_text())


def _fake(real: dg.AssetsDefinition, tables: Tables, metadata: dict[str, dict]) -> dg.AssetsDefinition:
    """An asset with the real one's keys that outputs the given tables."""
    keys = [k.to_user_string() for k in real.keys]

    @dg.multi_asset(outs={k: dg.AssetOut(is_required=False) for k in keys}, name=f"crafted_{keys[0]}", can_subset=True)
    def crafted(context):
        for key in keys:
            if key in context.selected_output_names:
                yield dg.Output(tables[key], output_name=key, metadata=metadata.get(key, {}))

    return crafted


def _requested(result: dg.AutomationResult) -> set[str]:
    return {r.key.to_user_string() for r in result.results if result.get_num_requested(r.key)}


@pytest.mark.parametrize("gate", GATES, ids=[g.check for g in GATES])
def test_blocking_check_fails_on_crafted_input_and_holds_downstream(
    gate: Gate, base_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    shutil.copytree(base_home, home)
    monkeypatch.setenv("ORC_AI_HOME", str(home))
    from orc_ai.definitions import all_assets, all_checks, build_resources

    real = next(a for a in all_assets if dg.AssetKey(gate.asset) in a.keys)
    keys = [k.to_user_string() for k in real.keys]
    tables = {k: _read(home, k) for k in ("raw_docs", "chunks", "entities", "relations", "embeddings", "communities")}
    bad = {k: _read(home, k) for k in keys} | gate.spoil(tables, home)
    others = [a for a in all_assets if a is not real]
    instance = dg.DagsterInstance.ephemeral()
    for key in [k for a in all_assets for k in a.keys]:  # an instance where everything was materialised and passed
        instance.report_runless_asset_event(dg.AssetMaterialization(key))
    for spec in [s for c in all_checks for s in c.check_specs]:
        instance.report_runless_asset_event(
            dg.AssetCheckEvaluation(asset_key=spec.asset_key, check_name=spec.name, passed=True)
        )

    def run(assets: list[dg.AssetsDefinition], selected: list[str]) -> dg.ExecuteInProcessResult:
        return dg.materialize(
            [*assets, *all_checks],
            resources=build_resources(),
            instance=instance,
            selection=dg.AssetSelection.assets(*selected).required_multi_asset_neighbors(),
            raise_on_error=False,
        )

    defs = dg.Definitions(assets=all_assets, asset_checks=all_checks, resources=build_resources())
    cursor = dg.evaluate_automation_conditions(defs=defs, instance=instance).cursor
    metadata = gate.metadata(home) if callable(gate.metadata) else gate.metadata
    spoiled = run([_fake(real, bad, metadata), *others], [gate.asset, *filter(None, [gate.downstream])])
    evaluations = {e.check_name: e for e in spoiled.get_asset_check_evaluations()}
    assert evaluations[gate.check].passed is False, evaluations[gate.check].metadata
    if gate.downstream is None:
        return
    materialised = {e.asset_key.to_user_string() for e in spoiled.get_asset_materialization_events()}
    assert gate.downstream not in materialised  # held inside the run
    held = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=cursor)
    assert gate.downstream not in _requested(held)  # and by automation after it

    fixed = run(all_assets, [gate.asset])  # the real asset on the real upstream data
    failed = {e.check_name: e.metadata for e in fixed.get_asset_check_evaluations() if not e.passed}
    assert failed == {}, failed
    released = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=held.cursor)
    assert gate.downstream in _requested(released)

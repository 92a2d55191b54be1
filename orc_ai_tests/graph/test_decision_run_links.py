"""(:Decision)-[:CITES]->(:Run) in both graph stores: a decision that cites a try links to that try's Run node
(the workflow graph's ``run_key``), beside its links to chunks; a try with no Run node is counted, not linked,
and linked once the workflow graph writes it; whichever is written last, the store equals a fresh load."""

from __future__ import annotations

import polars as pl
import pytest

from orc_ai.graph import cypher
from orc_ai.graph.links import table_stats
from orc_ai.graph.workflow import load_workflow_graph
from orc_ai_tests.graph.decision_runs import decisions_citing_runs, expected, load_with_decisions, run_keys, run_links
from orc_ai_tests.graph.graph_tables import load
from orc_ai_tests.graph.workflow_tables import base_inputs, expected_tables


def test_a_decision_links_to_the_runs_it_cites_and_counts_the_absent_ones(new_store) -> None:
    inputs = base_inputs()
    decisions = decisions_citing_runs(inputs)
    store = new_store()
    written = load_with_decisions(store, inputs, decisions)
    assert (written.cites_runs, written.missing_runs) == (6, 1)
    assert (written.cites, written.missing_chunks) == (3, 0)  # the chunk links are kept beside them
    dump = store.dump()
    assert dump == expected(inputs, decisions)
    want = {("Decision:dec0", f"Run:{k}") for k in run_keys(inputs, "load_to_snowflake")}
    want |= {("Decision:dec1", f"Run:{run_keys(inputs, t)[0]}") for t in ("index_docs", "load_graph")}
    assert run_links(dump) == want
    node = next(n for n in dump.nodes if n.key == "Decision:dec0")
    assert "cited_run_keys" not in node.properties  # the links show them
    stats = store.stats()
    assert (stats.cites_runs, stats.cites) == (6, 3)
    assert stats == table_stats({**expected_tables(inputs), "decisions": decisions})


def test_decisions_written_before_the_workflow_graph_link_when_it_is_written(new_store) -> None:
    inputs = base_inputs()
    decisions = decisions_citing_runs(inputs)
    store = new_store()
    load(store, inputs.graph)
    written = store.upsert_decisions(decisions)  # no Run node yet
    assert (written.cites_runs, written.missing_runs) == (0, 7)
    assert run_links(store.dump()) == set()
    load_workflow_graph(store, inputs.dag_tasks, inputs.task_runs, inputs.graph["entities"])
    assert store.dump() == expected(inputs, decisions)
    assert len(run_links(store.dump())) == 6


def test_a_revised_decision_replaces_its_run_links(new_store) -> None:
    inputs = base_inputs()
    decisions = decisions_citing_runs(inputs)
    store = new_store()
    load_with_decisions(store, inputs, decisions)
    revised = decisions.with_columns(
        pl.when(pl.col("decision_id") == "dec0")
        .then(pl.lit(run_keys(inputs, "notify")[:1]))
        .otherwise("cited_run_keys")
        .alias("cited_run_keys")
    )
    store.upsert_decisions(revised.filter(pl.col("decision_id") == "dec0"))
    assert store.dump() == expected(inputs, revised)
    links = {t for s, t in run_links(store.dump()) if s == "Decision:dec0"}
    assert links == {f"Run:{run_keys(inputs, 'notify')[0]}"}


def test_decisions_without_run_citations_still_load(new_store) -> None:
    inputs = base_inputs()
    decisions = decisions_citing_runs(inputs).drop("cited_run_keys")  # written before tries were cited
    store = new_store()
    written = load_with_decisions(store, inputs, decisions)
    assert (written.decisions, written.cites, written.cites_runs, written.missing_runs) == (3, 3, 0, 0)
    assert run_links(store.dump()) == set()


def test_decision_link_queries_validate_their_kind() -> None:
    assert "(t:Run {run_key: row.target})" in cypher.link_decisions("CITES", "Run")
    assert "(t:Chunk {chunk_id: row.target})" in cypher.link_decisions("CITES", "Chunk")
    with pytest.raises(ValueError, match="no ABOUT links to Run"):
        cypher.link_decisions("ABOUT", "Run")
    with pytest.raises(ValueError, match="no CITES links to Chunk\\) DETACH"):
        cypher.link_decisions("CITES", "Chunk) DETACH")
    with pytest.raises(ValueError, match="only when a decision is written"):
        cypher.link_remembered("CITES", "Chunk")

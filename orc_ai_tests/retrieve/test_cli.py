"""``orc-ai retrieve`` on a home built by the asset chain: one JSON line per query, in input order."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from orc_ai.cache import ContentCache
from orc_ai.cli import main
from orc_ai.retrieve.loading import SENTENCE_CACHE

QUESTION = "What should I do when load_to_snowflake fails with 000606 No active warehouse selected?"


@pytest.fixture(scope="module")
def home(bundled_chain, tmp_path_factory: pytest.TempPathFactory):
    # a copy: the retriever caches its sentence vectors under the home
    copied = bundled_chain.copy_home(tmp_path_factory.mktemp("retrieve_cli") / "home")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("ORC_AI_HOME", str(copied))
        yield copied  # ORC_AI_HOME stays set for the module's tests


def _lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")] or pytest.fail(output)


def test_one_query(home: Path) -> None:
    result = CliRunner().invoke(main, ["retrieve", QUESTION, "-k", "4", "--json"])
    assert result.exit_code == 0, result.output
    (line,) = _lines(result.stdout)
    assert line["question"] == QUESTION and len(line["items"]) == 4
    chunks = pl.read_parquet(home / "assets" / "chunks.parquet")
    names = dict(pl.read_parquet(home / "assets" / "raw_docs.parquet").select("doc_id", "name").iter_rows())
    doc_of = dict(chunks.select("chunk_id", "doc_id").iter_rows())
    for item in line["items"]:
        assert names[doc_of[item["chunk_id"]]] == item["doc_name"]
        assert isinstance(item["score"], float)
    assert "runbooks/orders_daily_etl.md" in {item["doc_name"] for item in line["items"]}
    with ContentCache(home / "cache" / f"{SENTENCE_CACHE}.sqlite") as cache:
        assert len(cache) > chunks.height  # every chunk's sentences, kept for the next command


def test_a_queries_file_keeps_order_and_reports_bad_lines(home: Path, tmp_path: Path) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        "\n".join(
            [
                json.dumps({"question": "How do I rotate expired Vault credentials?"}),
                "{not json",
                json.dumps({"id": 3}),
                json.dumps({"question": QUESTION, "id": 4}),
            ]
        )
        + "\n"
    )
    result = CliRunner().invoke(main, ["retrieve", "--queries", str(queries), "-k", "3", "--json"])
    assert result.exit_code == 0, result.output
    lines = _lines(result.stdout)
    assert [line["question"] for line in lines] == [
        "How do I rotate expired Vault credentials?",
        None,
        None,
        QUESTION,
    ]
    assert "line 2" in lines[1]["error"] and "line 3" in lines[2]["error"] and "question" in lines[2]["error"]
    assert [len(line["items"]) for line in lines] == [3, 0, 0, 3]
    assert all({"chunk_id", "doc_name", "score"} <= set(item) for line in lines for item in line["items"])


def test_a_query_and_a_file_together_or_neither_is_a_usage_error(home: Path, tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["retrieve", "--json"]).exit_code == 2
    queries = tmp_path / "q.jsonl"
    queries.write_text("{}\n")
    assert CliRunner().invoke(main, ["retrieve", "x", "--queries", str(queries)]).exit_code == 2

"""raw_docs and quarantined_docs can each be materialised alone (the multi-asset is subsettable)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from orc_ai_tests.assets.conftest import ChainRunner, table


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for topic in ("Kafka consumer lag", "Postgres disk", "Vault credentials", "Snowflake warehouse"):
        (folder / f"{topic.split()[0]}.md").write_text(f"The {topic} runbook. Page the on-call when it fires.")
    (folder / "blob.md").write_bytes(bytes(range(256)))
    return folder


@pytest.mark.parametrize("selected", ["raw_docs", "quarantined_docs"])
def test_either_output_materialises_alone(chain: ChainRunner, tmp_path: Path, docs: Path, selected: str) -> None:
    home = tmp_path / "home"
    result = chain.run(home, docs, selection=[selected])
    assert result.success
    assert [e.materialization.asset_key.to_user_string() for e in result.get_asset_materialization_events()] == [
        selected
    ]
    assert table(home, selected).height == {"raw_docs": 4, "quarantined_docs": 1}[selected]
    other = {"raw_docs": "quarantined_docs", "quarantined_docs": "raw_docs"}[selected]
    assert not (home / "assets" / f"{other}.parquet").exists()


@pytest.mark.slow
def test_dagster_cli_materialises_raw_docs_alone(tmp_path: Path, docs: Path) -> None:
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path), "ORC_AI_HOME": str(tmp_path / "home")}
    env["ORC_AI_DOCS_DIR"] = str(docs)
    command = [sys.executable, "-m", "dagster", "asset", "materialize", "-m", "orc_ai.definitions"]
    result = subprocess.run([*command, "--select", "raw_docs"], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "home" / "assets" / "raw_docs.parquet").exists()

"""Loading the code location and the ``orc-ai`` command imports no heavy library: each is imported by the function
that uses it, so run workers, code servers, the daemon, ``dg check defs`` and the command line do not pay for them.

The check is on ``sys.modules`` in a fresh interpreter, not on time (speed belongs in BENCHMARKS.md)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Libraries that take from tenths of a second to seconds to import, and that only some steps need.
HEAVY = [
    "bm25s", "igraph", "jinja2", "leidenalg", "markdown", "matplotlib", "mlflow", "neo4j", "pandas", "plotly",
    "prometheus_client", "prophet", "pyarrow", "scipy", "sdmetrics", "sdv", "sentence_transformers", "sklearn",
    "Stemmer", "torch", "transformers", "usearch",
]
# The command line does not load the code location either (it opens resources only when a command needs them).
CLI_HEAVY = [*HEAVY, "dagster", "openai", "slack_sdk"]


def _loaded_after_import(module: str, tmp_path: Path) -> set[str]:
    """Top-level packages in ``sys.modules`` after importing ``module`` in a fresh interpreter."""
    code = f"import json, sys; import {module}; print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    env = {**os.environ, "ORC_AI_HOME": str(tmp_path / "home"), "DAGSTER_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(("module", "heavy"), [("orc_ai.definitions", HEAVY), ("orc_ai.cli", CLI_HEAVY)])
def test_importing_loads_no_heavy_library(module: str, heavy: list[str], tmp_path: Path) -> None:
    loaded = _loaded_after_import(module, tmp_path)
    assert module.split(".")[0] in loaded  # the import itself ran
    assert sorted(set(heavy) & loaded) == [], f"import {module} loaded heavy libraries at module level"

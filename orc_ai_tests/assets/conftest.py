"""Materialise the real asset chain into a temporary ORC_AI_HOME."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl
import pytest

# The operations models (Prophet fits with backtests, SDV, IsolationForest) take minutes each on the shared cores:
# a chain run leaves them out unless a test selects them (their own tests and the gate harness run them).
OPERATIONS_MODELS = (
    "task_duration_forecast", "failure_forecast", "run_anomalies", "failure_log_clusters", "synthetic_task_runs",
    "pipeline_kpis",
)


class ChainRunner:
    """Runs ``materialize()`` over the project's assets and checks with resources for one home (by default
    every asset but ``OPERATIONS_MODELS``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.monkeypatch = monkeypatch

    def run(
        self,
        home: Path,
        docs_dir: Path,
        run_config: dict[str, Any] | None = None,
        selection: list[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> dg.ExecuteInProcessResult:
        self.monkeypatch.setenv("ORC_AI_HOME", str(home))
        self.monkeypatch.setenv("ORC_AI_DOCS_DIR", str(docs_dir))
        for key, value in (env or {}).items():
            self.monkeypatch.setenv(key, value)
        from orc_ai.definitions import all_assets, all_checks, build_resources

        config: dict[str, Any] = {"ops": {}}
        for op, op_config in (run_config or {}).items():
            config["ops"][op] = {"config": op_config}
        if selection is None:
            selection = dg.AssetSelection.all() - dg.AssetSelection.assets(*OPERATIONS_MODELS)
        return dg.materialize(
            [*all_assets, *all_checks],
            resources=build_resources(),
            run_config=config,
            selection=selection,
            raise_on_error=False,
        )


@dataclass(frozen=True)
class BuiltChain:
    """A home the default chain was materialised into, its documents folder and the run's result."""

    home: Path
    docs: Path
    result: dg.ExecuteInProcessResult

    def copy_home(self, target: Path) -> Path:
        shutil.copytree(self.home, target)
        return target


@pytest.fixture
def chain(monkeypatch: pytest.MonkeyPatch) -> ChainRunner:
    return ChainRunner(monkeypatch)


def metadata(result: dg.ExecuteInProcessResult, asset: str) -> dict[str, Any]:
    """Materialisation metadata of one asset as plain values."""
    (event,) = [
        e for e in result.get_asset_materialization_events() if e.materialization.asset_key == dg.AssetKey(asset)
    ]
    return {k: getattr(v, "value", v) for k, v in event.materialization.metadata.items()}


def checks(result: dg.ExecuteInProcessResult) -> dict[str, bool]:
    return {e.check_name: e.passed for e in result.get_asset_check_evaluations()}


def table(home: Path, asset: str) -> pl.DataFrame:
    return pl.read_parquet(home / "assets" / f"{asset}.parquet")

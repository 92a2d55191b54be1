"""``orc-ai metrics serve`` as a user runs it: its own process over $DAGSTER_HOME and $ORC_AI_HOME."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from orc_ai.kpis.pipeline import compute_pipeline_kpis
from orc_ai.metrics import names
from orc_ai_tests.kpis import history
from orc_ai_tests.neo4j_server import free_port
from orc_ai_tests.processes import stop_group

pytestmark = pytest.mark.slow


def test_serve_exposes_every_family_and_reads_the_home(tmp_path: Path) -> None:
    (tmp_path / "dagster").mkdir()
    assets = tmp_path / "home" / "assets"
    assets.mkdir(parents=True)
    kpis = compute_pipeline_kpis(history.history(), history.forecasts(), window=timedelta(hours=24))
    kpis.table.write_parquet(assets / "pipeline_kpis.parquet")
    port = free_port()
    env = os.environ | {"DAGSTER_HOME": str(tmp_path / "dagster"), "ORC_AI_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "orc_ai.cli", "metrics", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "the exporter did not answer"
                time.sleep(0.5)
    finally:
        stop_group(proc, grace_s=10)
    families = {f.name: f for f in text_string_to_metric_families(text)}
    assert {n.removesuffix("_total") for n in names.ALL} <= set(families)
    overall = {s.labels["dag_id"]: s.value for s in families[names.KPI_METRICS["incidents"]].samples}
    assert overall[""] == kpis.overall()["incidents"]
    assert families[names.RUNS.removesuffix("_total")].samples == []  # a fresh instance: no runs yet

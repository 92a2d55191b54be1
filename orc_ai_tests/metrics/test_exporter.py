"""The exporter end to end: a real graph slice materialised into a temporary instance, the exporter's HTTP
endpoint scraped and parsed with Prometheus' own text-format parser; LLM use from a slice the real llama.cpp
server extracted."""

from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import httpx
import polars as pl
import pytest
from dagster._core.remote_origin import InProcessCodeLocationOrigin, RemoteInstigatorOrigin, RemoteRepositoryOrigin
from dagster._core.scheduler.instigation import (
    InstigatorState,
    InstigatorStatus,
    InstigatorType,
    SensorInstigatorData,
    TickData,
    TickStatus,
)
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster_shared.error import SerializableErrorInfo
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from airflow_bridge.cursor import SyncCursor
from orc_ai.forecast.schema import FAILURE_FORECAST_TABLE, FORECAST_SCHEMA
from orc_ai.kpis.pipeline import compute_pipeline_kpis
from orc_ai.metrics import names
from orc_ai.metrics.collector import PipelineCollector, serve
from orc_ai.metrics.instance import TokenPrices
from orc_ai.resources.instance_metrics import InstanceReader
from orc_ai_tests.kpis import history

STAGES = ["raw_docs", "quarantined_docs", "chunks", "entities", "relations"]
DOCS = {
    "orders.md": "The DAG orders_daily_etl is owned by the Data Platform team. Its task load_to_snowflake writes "
    "to Snowflake.",
    "kafka.md": "Kafka consumer lag on shipment.events.v2 delayed shipment_events_ingest. The SRE team scaled "
    "the consumers on Kubernetes and Priya Raman confirmed Snowflake caught up.",
}  # the texts test_llm_assets extracts with the same server
WATERMARK_AGE_S = 600.0


def _forecasts(max_risk: float) -> pl.DataFrame:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    rows = [
        {"dag_id": dag, "task_id": "t", "metric": "failure_rate", "forecast_at": now, "forecast_for": now,
         "horizon": "1d", "predicted": 0.1, "lower": 0.0, "upper": 0.3, "threshold": 0.2, "at_risk": risk >= 0.5,
         "risk": risk, "method": "fallback", "model_name": "m", "model_version": "1"}
        for dag, risk in (("etl", 0.2), ("etl", max_risk), ("report", 0.4))
    ]
    return pl.DataFrame(rows, schema=FORECAST_SCHEMA)


def _airflow_sensor(instance: dg.DagsterInstance, tick_at: float) -> None:
    """A stored state and tick of airflow_metadata_sensor, as the daemon leaves them."""
    location = InProcessCodeLocationOrigin(LoadableTargetOrigin(module_name="orc_ai.definitions"), location_name="orc")
    origin = RemoteInstigatorOrigin(RemoteRepositoryOrigin(location, "__repository__"), "airflow_metadata_sensor")
    cursor = SyncCursor(watermark=datetime.now(UTC) - timedelta(seconds=WATERMARK_AGE_S)).dumps()
    state = InstigatorState(
        origin, InstigatorType.SENSOR, InstigatorStatus.RUNNING,
        SensorInstigatorData(cursor=cursor, last_tick_timestamp=tick_at),
    )
    instance.add_instigator_state(state)
    instance.create_tick(
        TickData(
            instigator_origin_id=origin.get_id(), instigator_name=origin.instigator_name,
            instigator_type=InstigatorType.SENSOR, status=TickStatus.FAILURE, timestamp=tick_at,
            selector_id=state.selector_id, error=SerializableErrorInfo("Airflow unreachable", [], "AirflowError"),
        )
    )


def scrape(url: str) -> dict[str, dict[tuple, float]]:
    response = httpx.get(url, timeout=30)
    response.raise_for_status()
    return parse(response.text)


def parse(text: str) -> dict[str, dict[tuple, float]]:
    """Samples by name, then by their labels (sorted pairs)."""
    out: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(text):
        out.setdefault(family.name, {})
        for sample in family.samples:
            out.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return out


def value(samples: dict[str, dict[tuple, float]], name: str, **labels: str) -> float:
    return samples[name][tuple(sorted(labels.items()))]


@contextmanager
def materialised(root: Path, config: dict, env: dict[str, str] | None = None):
    """The slice materialised from DOCS into a temporary instance and home: (instance, result, asset folder)."""
    home, docs = root / "home", root / "docs"
    docs.mkdir()
    (root / "dagster").mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text)
    env = {"ORC_AI_HOME": str(home), "ORC_AI_DOCS_DIR": str(docs), **(env or {})}
    with pytest.MonkeyPatch.context() as mp, dg.instance_for_test(temp_dir=str(root / "dagster")) as instance:
        for key, val in env.items():
            mp.setenv(key, val)
        from orc_ai.definitions import all_assets, all_checks, build_resources

        result = dg.materialize(
            [*all_assets, *all_checks], resources=build_resources(), selection=STAGES, instance=instance,
            run_config={"ops": {op: {"config": c} for op, c in config.items()}}, raise_on_error=False,
        )
        yield instance, result, home / "assets"


@pytest.fixture(scope="module")
def exporter(tmp_path_factory: pytest.TempPathFactory):
    config = {"entities_entities_per_chunk": {"min_mean": 1000.0}}  # cannot pass: the WARN check fails
    with materialised(tmp_path_factory.mktemp("exporter"), config) as (instance, result, assets):
        _forecasts(0.9).write_parquet(assets / f"{FAILURE_FORECAST_TABLE}.parquet")
        kpis = compute_pipeline_kpis(history.history(), history.forecasts(), window=timedelta(hours=24))
        kpis.table.write_parquet(assets / "pipeline_kpis.parquet")
        tick_at = time.time() - 30
        _airflow_sensor(instance, tick_at)
        server, _thread = serve(PipelineCollector(InstanceReader(instance), assets), host="127.0.0.1", port=0)
        try:
            yield {"url": f"http://127.0.0.1:{server.server_port}/metrics", "result": result, "assets": assets,
                   "instance": instance, "kpis": kpis.table, "tick_at": tick_at}
        finally:
            server.shutdown()
            server.server_close()


def _metadata(result: dg.ExecuteInProcessResult, asset: str) -> dict:
    (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey(asset)]
    return {k: getattr(v, "value", v) for k, v in event.materialization.metadata.items()}


def test_steps_checks_and_llm_metrics_come_from_the_event_log(exporter) -> None:
    samples, result = scrape(exporter["url"]), exporter["result"]
    assert set(samples) >= names.ALL  # every family is exposed
    for asset in ("raw_docs", "chunks", "entities", "relations"):
        step = "entities" if asset == "relations" else asset
        assert value(samples, names.STEP_DURATION + "_count", asset=asset, step=step) == 1
        assert value(samples, names.STEP_DURATION + "_sum", asset=asset, step=step) > 0
        assert value(samples, names.STEP_LAST_DURATION, asset=asset, step=step) > 0
        assert value(samples, names.STEP_FAILURES, asset=asset, step=step) == 0
        assert value(samples, names.MATERIALIZATIONS, asset=asset) == 1
    stats = {s.step_key: s for s in exporter["instance"].get_run_step_stats(result.run_id)}
    assert value(samples, names.STEP_LAST_DURATION, asset="chunks", step="chunks") == pytest.approx(
        stats["chunks"].end_time - stats["chunks"].start_time, abs=0.5
    )
    assert value(samples, names.RUNS, status="SUCCESS") == 1

    assert value(samples, names.CHECK_PASSED, asset="entities", check="entities_per_chunk", severity="WARN") == 0
    assert value(samples, names.CHECK_EVALUATIONS, asset="entities", check="entities_per_chunk", outcome="failed") == 1
    assert value(samples, names.CHECK_PASSED, asset="chunks", check="chunks_size_bounds", severity="ERROR") == 1
    assert value(samples, names.CHECKS_FAILING, severity="WARN") == 1
    evaluations = result.get_asset_check_evaluations()
    assert sum(samples[names.CHECK_PASSED].values()) == sum(e.passed for e in evaluations)

    # the offline extractor records its (zero) LLM use like the LLM one: see test_llm_use_equals_the_metadata
    assert value(samples, names.LLM_PROMPT_TOKENS, asset="entities") == _metadata(result, "entities")[
        "llm_prompt_tokens"] == 0


@pytest.mark.slow
def test_llm_use_equals_the_metadata(tmp_path: Path, llm_server: str) -> None:
    """The real llama.cpp server extracts (shares the session's server with the LLM asset tests)."""
    env = {"ORC_AI_LLM_BASE_URL": llm_server, "ORC_AI_LLM_MODEL": "gemma3-270m"}
    with materialised(tmp_path, {"entities": {"extractor": "llm", "llm_concurrency": 1}}, env) as (
        instance, result, assets
    ):
        registry = CollectorRegistry(auto_describe=False)
        prices = TokenPrices(prompt_per_1k=0.5, completion_per_1k=2.0)
        registry.register(PipelineCollector(InstanceReader(instance), assets, prices=prices))
        samples = parse(generate_latest(registry).decode())
    meta = _metadata(result, "entities")
    assert meta["llm_prompt_tokens"] > 0 and meta["llm_requests"] == len(DOCS)
    assert value(samples, names.LLM_PROMPT_TOKENS, asset="entities") == meta["llm_prompt_tokens"]
    assert value(samples, names.LLM_COMPLETION_TOKENS, asset="entities") == meta["llm_completion_tokens"]
    assert value(samples, names.LLM_REQUESTS, asset="entities") == meta["llm_requests"]
    assert value(samples, names.LLM_LATENCY, asset="entities") == pytest.approx(meta["llm_latency_s"])
    assert 0 < meta["llm_latency_s"] <= value(samples, names.STEP_LAST_DURATION, asset="entities", step="entities")
    cost = (meta["llm_prompt_tokens"] * 0.5 + meta["llm_completion_tokens"] * 2.0) / 1000
    assert value(samples, names.LLM_COST, asset="entities") == pytest.approx(cost)


def test_a_stage_logs_its_progress_in_the_run(exporter) -> None:
    run_id = exporter["result"].run_id
    messages = [e.user_message for e in exporter["instance"].all_logs(run_id) if e.step_key == "entities"]
    assert f"entities: {len(DOCS)} chunks to process" in messages
    assert any(m.startswith(f"entities: done, {len(DOCS)} chunks in ") for m in messages)


def test_sensor_lag_forecast_risk_and_kpis(exporter) -> None:
    before = time.time()  # other tests of the module may have run since the fixture stored the tick
    samples = scrape(exporter["url"])
    after = time.time()
    sensor = "airflow_metadata_sensor"
    assert value(samples, names.SENSOR_RUNNING, sensor=sensor) == 1
    assert value(samples, names.SENSOR_TICK_FAILED, sensor=sensor) == 1
    assert before - 1 <= exporter["tick_at"] + value(samples, names.SENSOR_TICK_AGE, sensor=sensor) <= after + 1
    watermark_at = exporter["tick_at"] + 30 - WATERMARK_AGE_S  # the fixture's tick was 30 s old, its watermark 600
    lag = value(samples, names.AIRFLOW_WATERMARK_LAG, sensor=sensor)
    assert before - 5 <= watermark_at + lag <= after + 5

    table = pl.read_parquet(exporter["assets"] / f"{FAILURE_FORECAST_TABLE}.parquet")
    assert value(samples, names.FORECAST_MAX_RISK, forecast=FAILURE_FORECAST_TABLE) == table["risk"].max() == 0.9
    assert value(samples, names.FORECAST_AT_RISK, forecast=FAILURE_FORECAST_TABLE) == 1
    assert value(samples, names.FORECAST_DAG_MAX_RISK, forecast=FAILURE_FORECAST_TABLE, dag_id="report") == 0.4
    assert "task_duration_forecast" not in {dict(k)["forecast"] for k in samples[names.FORECAST_TARGETS]}

    for row in exporter["kpis"].iter_rows(named=True):
        for column, name in names.KPI_METRICS.items():
            labels = (("dag_id", row["dag_id"] or ""),)
            if row[column] is None:
                assert labels not in samples[name]
            else:
                assert samples[name][labels] == pytest.approx(row[column]), (name, labels)


def test_a_changed_table_changes_the_scrape_and_the_old_value_fails(exporter) -> None:
    path = exporter["assets"] / f"{FAILURE_FORECAST_TABLE}.parquet"
    _forecasts(0.75).write_parquet(path)
    try:
        samples = scrape(exporter["url"])
        assert value(samples, names.FORECAST_MAX_RISK, forecast=FAILURE_FORECAST_TABLE) == 0.75
        with pytest.raises(AssertionError):
            assert value(samples, names.FORECAST_MAX_RISK, forecast=FAILURE_FORECAST_TABLE) == 0.9
        # a scrape reads new runs only: the totals of the finished one are not counted twice
        assert value(samples, names.MATERIALIZATIONS, asset="entities") == 1
    finally:
        _forecasts(0.9).write_parquet(path)

"""Metric families from what the exporter read of the Dagster instance (``InstanceTotals``, sensor states)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric, SummaryMetricFamily

from airflow_bridge.cursor import SyncCursor
from orc_ai import defaults
from orc_ai.metrics import names
from orc_ai.metrics.totals import InstanceTotals, LlmTotals, SensorState

AIRFLOW_SENSOR = "airflow_metadata_sensor"


@dataclass(frozen=True)
class TokenPrices:
    """USD per 1,000 tokens, for the cost estimate (0 for the local llama.cpp server)."""

    prompt_per_1k: float = defaults.LLM_COST_PER_1K_PROMPT_TOKENS
    completion_per_1k: float = defaults.LLM_COST_PER_1K_COMPLETION_TOKENS

    def cost(self, usage: LlmTotals) -> float:
        return (usage.prompt_tokens * self.prompt_per_1k + usage.completion_tokens * self.completion_per_1k) / 1000


def step_families(totals: InstanceTotals) -> list[Metric]:
    """Step durations and failures per asset and step, materialisations per asset, runs per final status."""
    labels = ["asset", "step"]
    duration = SummaryMetricFamily(names.STEP_DURATION, "Successful step executions and their time.", labels=labels)
    last = GaugeMetricFamily(names.STEP_LAST_DURATION, "Time of the step's latest successful execution.", labels=labels)
    failures = CounterMetricFamily(names.STEP_FAILURES, "Failed step executions.", labels=labels)
    for (asset, step), t in sorted(totals.steps.items()):
        duration.add_metric([asset, step], count_value=t.successes, sum_value=t.duration_sum_s)
        failures.add_metric([asset, step], t.failures)
        if t.last_duration_s is not None:
            last.add_metric([asset, step], t.last_duration_s)
    materialized = CounterMetricFamily(names.MATERIALIZATIONS, "Asset materialisations.", labels=["asset"])
    for asset, n in sorted(totals.materializations.items()):
        materialized.add_metric([asset], n)
    runs = CounterMetricFamily(names.RUNS, "Finished Dagster runs by final status.", labels=["status"])
    for status, n in sorted(totals.runs.items()):
        runs.add_metric([status], n)
    return [duration, last, failures, materialized, runs]


def check_families(totals: InstanceTotals) -> list[Metric]:
    """The latest outcome of each asset check, evaluation counts by outcome, failing checks by severity."""
    passed = GaugeMetricFamily(
        names.CHECK_PASSED, "1 if the check's latest evaluation passed, else 0.", labels=["asset", "check", "severity"]
    )
    evaluations = CounterMetricFamily(
        names.CHECK_EVALUATIONS, "Asset-check evaluations by outcome.", labels=["asset", "check", "outcome"]
    )
    failing = Counter({"ERROR": 0, "WARN": 0})
    for (asset, check), state in sorted(totals.checks.items()):
        passed.add_metric([asset, check, state.severity], int(state.passed))
        evaluations.add_metric([asset, check, "passed"], state.evaluations - state.failures)
        evaluations.add_metric([asset, check, "failed"], state.failures)
        failing[state.severity] += not state.passed
    failing_family = GaugeMetricFamily(
        names.CHECKS_FAILING, "Checks whose latest evaluation failed, by severity.", labels=["severity"]
    )
    for severity, n in sorted(failing.items()):
        failing_family.add_metric([severity], n)
    return [passed, evaluations, failing_family]


def llm_families(usage: dict[str, tuple[LlmTotals, float]]) -> list[Metric]:
    """Tokens, requests, latency and cost per asset; ``usage`` maps an asset to its totals and cost (USD)."""
    labels = ["asset"]
    prompt = CounterMetricFamily(names.LLM_PROMPT_TOKENS, "LLM prompt tokens.", labels=labels)
    completion = CounterMetricFamily(names.LLM_COMPLETION_TOKENS, "LLM completion tokens.", labels=labels)
    requests = CounterMetricFamily(names.LLM_REQUESTS, "LLM requests sent (cache hits excluded).", labels=labels)
    latency = CounterMetricFamily(names.LLM_LATENCY, "Summed wall time of LLM requests.", labels=labels)
    cost = CounterMetricFamily(names.LLM_COST, "Estimated LLM cost in USD.", labels=labels)
    for asset, (t, usd) in sorted(usage.items()):
        prompt.add_metric([asset], t.prompt_tokens)
        completion.add_metric([asset], t.completion_tokens)
        requests.add_metric([asset], t.requests)
        latency.add_metric([asset], t.latency_s)
        cost.add_metric([asset], usd)
    return [prompt, completion, requests, latency, cost]


def sensor_families(sensors: Sequence[SensorState], now: float) -> list[Metric]:
    """Per sensor: running, age and outcome of its last tick; the Airflow sync's watermark lag."""
    running = GaugeMetricFamily(names.SENSOR_RUNNING, "1 if the sensor is running.", labels=["sensor"])
    age = GaugeMetricFamily(names.SENSOR_TICK_AGE, "Seconds since the sensor's last tick.", labels=["sensor"])
    failed = GaugeMetricFamily(names.SENSOR_TICK_FAILED, "1 if the last tick failed.", labels=["sensor"])
    lag = GaugeMetricFamily(
        names.AIRFLOW_WATERMARK_LAG, "Seconds between now and the Airflow sync cursor's watermark.", labels=["sensor"]
    )
    for sensor in sorted(sensors, key=lambda s: s.name):
        running.add_metric([sensor.name], int(sensor.running))
        if sensor.last_tick_at is not None:
            age.add_metric([sensor.name], max(0.0, now - sensor.last_tick_at))
            failed.add_metric([sensor.name], int(sensor.last_tick_status == "FAILURE"))
        if sensor.name == AIRFLOW_SENSOR and sensor.cursor:
            watermark = SyncCursor.loads(sensor.cursor).watermark
            if watermark is not None:
                lag.add_metric([sensor.name], max(0.0, now - watermark.timestamp()))
    return [running, age, failed, lag]

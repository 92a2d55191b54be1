"""What the exporter has read from the Dagster event log so far, as plain records (no Dagster types)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

LLM_METADATA = {  # materialisation metadata key -> LlmTotals field
    "llm_prompt_tokens": "prompt_tokens",
    "llm_completion_tokens": "completion_tokens",
    "llm_requests": "requests",
    "llm_latency_s": "latency_s",
}


@dataclass
class StepTotals:
    """Finished executions of one step for one asset."""

    successes: int = 0
    failures: int = 0
    duration_sum_s: float = 0.0
    last_duration_s: float | None = None
    last_finished_at: float = 0.0


@dataclass
class CheckState:
    """Evaluations of one asset check, and the latest one."""

    evaluations: int = 0
    failures: int = 0
    passed: bool = True
    severity: str = "ERROR"
    evaluated_at: float = 0.0


@dataclass
class LlmTotals:
    """LLM use recorded in an asset's materialisation metadata, summed over materialisations."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0
    latency_s: float = 0.0


@dataclass(frozen=True)
class SensorState:
    """A sensor as the instance stores it: running or not, its last tick and its cursor."""

    name: str
    running: bool
    last_tick_at: float | None = None
    last_tick_status: str | None = None
    cursor: str | None = None


@dataclass
class InstanceTotals:
    """Counts over every finished run read so far; ``add_*`` are called once per event, in run order."""

    steps: dict[tuple[str, str], StepTotals] = field(default_factory=dict)  # (asset, step)
    checks: dict[tuple[str, str], CheckState] = field(default_factory=dict)  # (asset, check)
    llm: dict[str, LlmTotals] = field(default_factory=dict)  # asset
    materializations: Counter[str] = field(default_factory=Counter)  # asset
    runs: Counter[str] = field(default_factory=Counter)  # final status
    step_assets: dict[str, tuple[str, ...]] = field(default_factory=dict)  # step key -> assets it materialised

    def add_step(self, assets: tuple[str, ...], step: str, *, succeeded: bool, duration_s: float | None,
                 finished_at: float) -> None:
        """One finished step, counted once per asset it materialises."""
        for asset in assets:
            totals = self.steps.setdefault((asset, step), StepTotals())
            if succeeded:
                totals.successes += 1
            else:
                totals.failures += 1
            if duration_s is not None:
                totals.duration_sum_s += duration_s
                if finished_at >= totals.last_finished_at:
                    totals.last_duration_s, totals.last_finished_at = duration_s, finished_at

    def add_materialization(self, asset: str, step: str | None, metadata: dict[str, Any]) -> None:
        """One materialisation and the LLM use its metadata records."""
        self.materializations[asset] += 1
        if step:
            known = self.step_assets.get(step, ())
            if asset not in known:
                self.step_assets[step] = (*known, asset)
        usage = {f: metadata[k] for k, f in LLM_METADATA.items() if isinstance(metadata.get(k), int | float)}
        if usage:
            totals = self.llm.setdefault(asset, LlmTotals())
            for name, value in usage.items():
                setattr(totals, name, getattr(totals, name) + value)

    def add_check(
        self, asset: str, check: str, *, passed: bool, severity: str, evaluated_at: float, step: str | None = None
    ) -> None:
        """One asset-check evaluation (by ``step``, whose time counts for ``asset``); the latest by time is the
        check's state."""
        if step and step not in self.step_assets:
            self.step_assets[step] = (asset,)
        state = self.checks.setdefault((asset, check), CheckState())
        state.evaluations += 1
        state.failures += not passed
        if evaluated_at >= state.evaluated_at:
            state.passed, state.severity, state.evaluated_at = passed, severity, evaluated_at

    def assets_of(self, step: str) -> tuple[str, ...]:
        """The assets a step materialised in some run; its own name (an asset's op) until one is seen."""
        return self.step_assets.get(step) or (step,)

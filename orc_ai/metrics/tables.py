"""Metric families from the tables under ``ORC_AI_HOME``: forecast risk, the pipeline KPIs, the agent's LLM use."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from prometheus_client.core import GaugeMetricFamily, Metric

from orc_ai.forecast.schema import DURATION_FORECAST_TABLE, FAILURE_FORECAST_TABLE
from orc_ai.metrics import names
from orc_ai.metrics.totals import LlmTotals

AGENT_DECISIONS_TABLE = "agent_decisions"
PIPELINE_KPIS_TABLE = "pipeline_kpis"


def _read(asset_dir: Path, table: str, columns: list[str]) -> pl.DataFrame | None:
    path = asset_dir / f"{table}.parquet"
    return pl.read_parquet(path, columns=columns) if path.exists() else None


def forecast_families(asset_dir: Path) -> list[Metric]:
    """Highest risk, at-risk and total targets per forecast table, and the highest risk per DAG."""
    max_risk = GaugeMetricFamily(names.FORECAST_MAX_RISK, "Highest risk (0..1) of any target.", labels=["forecast"])
    at_risk = GaugeMetricFamily(names.FORECAST_AT_RISK, "Targets forecast to breach.", labels=["forecast"])
    targets = GaugeMetricFamily(names.FORECAST_TARGETS, "Targets forecast.", labels=["forecast"])
    per_dag = GaugeMetricFamily(
        names.FORECAST_DAG_MAX_RISK, "Highest risk (0..1) of a DAG's targets.", labels=["forecast", "dag_id"]
    )
    for table in (DURATION_FORECAST_TABLE, FAILURE_FORECAST_TABLE):
        frame = _read(asset_dir, table, ["dag_id", "risk", "at_risk"])
        if frame is None:
            continue
        targets.add_metric([table], frame.height)
        at_risk.add_metric([table], int(frame["at_risk"].sum() or 0))
        if frame["risk"].drop_nulls().len():
            max_risk.add_metric([table], float(frame["risk"].max()))
        dags = frame.drop_nulls("risk").group_by("dag_id").agg(pl.col("risk").max()).sort("dag_id")
        for dag_id, risk in dags.iter_rows():
            per_dag.add_metric([table, dag_id or ""], float(risk))
    return [max_risk, at_risk, targets, per_dag]


def kpi_families(asset_dir: Path) -> list[Metric]:
    """One gauge per ``pipeline_kpis`` column, labelled by ``dag_id`` ("" for the overall row); nulls left out."""
    frame = _read(asset_dir, PIPELINE_KPIS_TABLE, ["dag_id", *names.KPI_METRICS])
    families = []
    for column, name in names.KPI_METRICS.items():
        family = GaugeMetricFamily(name, f"pipeline_kpis.{column} per DAG ('' overall).", labels=["dag_id"])
        for dag_id, value in (frame.select("dag_id", column).iter_rows() if frame is not None else ()):
            if value is not None:
                family.add_metric([dag_id or ""], float(value))
        families.append(family)
    return families


def agent_llm_usage(asset_dir: Path) -> tuple[LlmTotals, float] | None:
    """The LLM planner's use over the decisions ``agent_decisions`` keeps, and its recorded cost (USD)."""
    frame = _read(asset_dir, AGENT_DECISIONS_TABLE, ["record"])
    if frame is None:
        return None
    totals, cost = LlmTotals(), 0.0
    for record in frame["record"]:
        usage = json.loads(record).get("llm_usage") or {}
        totals.prompt_tokens += int(usage.get("prompt_tokens", 0))
        totals.completion_tokens += int(usage.get("completion_tokens", 0))
        totals.requests += int(usage.get("calls", 0))
        totals.latency_s += float(usage.get("latency_ms", 0.0)) / 1000
        cost += float(usage.get("cost_usd", 0.0))
    return totals, cost


"""The ``agent_decisions`` table: flat columns to filter on, plus the whole decision as JSON (one row each)."""

from __future__ import annotations

import polars as pl

from orc_ai.agent.models import Decision

DECISIONS_SCHEMA = {
    "decision_id": pl.String,
    "event_id": pl.String,
    "event_type": pl.String,
    "planner": pl.String,
    "planner_version": pl.String,
    "status": pl.String,
    "decision": pl.String,
    "confidence": pl.Float64,
    "citations": pl.Int64,
    "tool_calls": pl.Int64,
    "executed_calls": pl.Int64,
    "created_at": pl.Datetime("us", "UTC"),
    "cited_chunk_ids": pl.List(pl.String),  # (:Decision)-[:CITES]->(:Chunk)
    "about_entity_ids": pl.List(pl.String),  # (:Decision)-[:ABOUT]->(:Entity)
    "cited_run_keys": pl.List(pl.String),  # (:Decision)-[:CITES]->(:Run), Airflow tries
    "record": pl.String,  # Decision.model_dump_json()
}


def decisions_to_frame(decisions: list[Decision]) -> pl.DataFrame:
    rows = [
        {
            "decision_id": d.decision_id,
            "event_id": d.event_id,
            "event_type": d.event_type,
            "planner": d.planner,
            "planner_version": d.planner_version,
            "status": d.status,
            "decision": d.decision,
            "confidence": d.confidence,
            "citations": len(d.citations),
            "tool_calls": len(d.tool_calls),
            "executed_calls": sum(c.executed for c in d.tool_calls),
            "created_at": d.created_at,
            "cited_chunk_ids": [c.chunk_id for c in d.citations],
            "about_entity_ids": d.about_entity_ids,
            "cited_run_keys": [r.run_key for r in d.run_citations],
            "record": d.model_dump_json(),
        }
        for d in sorted(decisions, key=lambda d: d.decision_id)
    ]
    return pl.DataFrame(rows, schema=DECISIONS_SCHEMA)


def decisions_from_frame(frame: pl.DataFrame) -> list[Decision]:
    return [Decision.model_validate_json(r) for r in frame.get_column("record")]

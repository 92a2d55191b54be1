"""Table rows as JSON-able dicts, for tool results."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from typing import Any

import polars as pl

from orc_ai.errors import ToolError


def json_value(value: Any) -> Any:
    """``value`` as JSON can hold it: datetimes as ISO 8601, durations in seconds, NaN as null."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def json_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [{k: json_value(v) for k, v in row.items()} for row in frame.iter_rows(named=True)]


def require_columns(frame: pl.DataFrame, table: str, columns: list[str]) -> None:
    """``ToolError`` naming the table and the columns it lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ToolError(f"the {table} table lacks columns {missing}; it has {frame.columns}")

"""Reading a ``timestamp,value`` series and inferring its daily period from the timestamps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

from orc_ai.errors import OrcAIError

_DAY_S = 86_400.0


class SeriesError(OrcAIError):
    """A series file could not be read; the message names the file and, for a bad value, the row."""


@dataclass(frozen=True)
class Series:
    """Timestamps exactly as written, values as floats, in file order."""

    timestamps: list[str]
    values: np.ndarray


def read_series(path: Path) -> Series:
    """The ``timestamp,value`` CSV at ``path``; raises SeriesError for a missing file, missing columns or a
    non-numeric value (naming its data row, 1 = the first row after the header)."""
    if not path.is_file():
        raise SeriesError(f"{path}: no such file")
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise SeriesError(f"{path}: not a readable CSV ({exc})") from exc
    missing = [c for c in ("timestamp", "value") if c not in frame.columns]
    if missing:
        raise SeriesError(f"{path}: missing column(s) {missing}; the header must have timestamp,value")
    parsed = frame["value"].str.strip_chars().cast(pl.Float64, strict=False)
    bad = frame.with_row_index("row", offset=1).filter(parsed.is_null() | ~parsed.is_finite().fill_null(False))
    if bad.height:
        row, text = bad["row"][0], bad["value"][0]
        raise SeriesError(f"{path}: row {row}: value {text!r} is not a finite number")
    if frame["timestamp"].null_count():
        row = frame.with_row_index("row", offset=1).filter(pl.col("timestamp").is_null())["row"][0]
        raise SeriesError(f"{path}: row {row}: empty timestamp")
    return Series(timestamps=frame["timestamp"].to_list(), values=parsed.to_numpy())


def daily_period(timestamps: list[str], max_period: int = 2_000) -> int | None:
    """Points per day when the timestamps parse and are regularly spaced (median step dividing a day), else None."""
    if len(timestamps) < 3:
        return None
    try:
        parsed = [datetime.fromisoformat(t.strip()) for t in timestamps[:1000]]
        seconds = np.array([(d if d.tzinfo else d.replace(tzinfo=UTC)).timestamp() for d in parsed])
    except ValueError:
        return None
    steps = np.diff(seconds)
    step = float(np.median(steps)) if steps.size else 0.0
    if step <= 0:
        return None
    period = _DAY_S / step
    if abs(period - round(period)) > 1e-6 or not 2 <= round(period) <= max_period:
        return None
    return int(round(period))

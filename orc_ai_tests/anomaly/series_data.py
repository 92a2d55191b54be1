"""Small series with known anomalies: a noisy daily sine at 5-minute steps, as NAB's artificial files are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

PERIOD = 288  # 5-minute points per day


def daily_sine(n: int, noise: float = 0.5, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    phase = 2 * np.pi * np.arange(n) / PERIOD
    return 50 + 10 * np.sin(phase) + rng.normal(0, noise, n)


def timestamps(n: int) -> list[str]:
    start = datetime(2024, 3, 1, tzinfo=UTC)
    return [(start + timedelta(minutes=5 * i)).strftime("%Y-%m-%d %H:%M:%S") for i in range(n)]


def write_csv(path, stamps: list[str], values) -> None:
    lines = ["timestamp,value", *(f"{t},{v:.4f}" for t, v in zip(stamps, values, strict=True))]
    path.write_text("\n".join(lines) + "\n")

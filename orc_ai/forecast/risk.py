"""Thresholds and risk of a forecast target (the rule is stated in orc_ai/defaults.py, FORECAST_* block).

``risk`` is P(value > threshold) under a two-piece normal with its median at ``predicted`` and its
(1 - w)/2 and (1 + w)/2 quantiles at ``lower`` and ``upper`` (w = interval_width): each side has its own spread,
so an interval clipped at 0 on one side still says what its other side says (a degenerate side gives 0 or 1).
``at_risk`` is ``risk >= min_risk[metric]``; with w = 0.8, min_risk 0.1 is exactly "upper > threshold" and 0.5
"predicted > threshold".
"""

from __future__ import annotations

from collections.abc import Mapping
from statistics import NormalDist

import numpy as np

from orc_ai import defaults


def series_threshold(
    metric: str,
    history: np.ndarray,
    *,
    failure_rate_threshold: float = defaults.FORECAST_FAILURE_RATE_THRESHOLD,
    duration_quantile: float = defaults.FORECAST_DURATION_QUANTILE,
    sla_s: float | None = None,
) -> float:
    """failure_rate: the configured rate; duration_s: the SLA when given, else the history's ``duration_quantile``."""
    if metric == "failure_rate":
        return float(failure_rate_threshold)
    if sla_s is not None:
        return float(sla_s)
    return float(np.quantile(np.asarray(history, dtype=float), duration_quantile))


def breach_probability(predicted: float, lower: float, upper: float, threshold: float, interval_width: float) -> float:
    """P(value > threshold) under the two-piece normal through ``lower``, ``predicted`` and ``upper``."""
    z = NormalDist().inv_cdf(0.5 + interval_width / 2)  # 1.2816 for 0.8
    sigma = (upper - predicted if threshold >= predicted else predicted - lower) / z
    if sigma <= 0:
        return 1.0 if predicted > threshold else 0.0
    return 1.0 - NormalDist(predicted, sigma).cdf(threshold)


def assess(
    metric: str,
    predicted: float,
    lower: float,
    upper: float,
    threshold: float,
    *,
    interval_width: float = defaults.FORECAST_INTERVAL_WIDTH,
    min_risk: Mapping[str, float] = defaults.FORECAST_MIN_RISK,
) -> tuple[bool, float]:
    """``(at_risk, risk)`` of one target."""
    risk = breach_probability(predicted, lower, upper, threshold, interval_width)
    return risk >= min_risk[metric], risk


def slas_for(slas: Mapping[str, float], dag_id: str, task_id: str | None) -> float | None:
    """The SLA (seconds) of ``dag_id.task_id`` or, for a whole-DAG series, of ``dag_id``."""
    return slas.get(dag_id if task_id is None else f"{dag_id}.{task_id}")

"""The distribution-shift signal: the newest values no longer drawn from the distribution of the values before them.

Every point, the two-sample Kolmogorov-Smirnov statistic D (the largest gap between two empirical CDFs) compares
the newest ``window`` values with the ``reference`` values just before them. D alone is not a surprise: in a daily
cycle the last hours always differ from the last days. So D is calibrated as the surprise signal is, NAB's
anomaly-likelihood way: its z against the mean and standard deviation of its own past ``history`` values. A shift
counts only when D also reaches ``min_statistic`` (half the probability mass moved, at the default): noise and
autocorrelated wander rarely move that much, whatever their z.

This family sees what residual z-scores miss: a change of the whole distribution (a daily shape that stops, a
level that settles inside the usual range, spikes that thin out) rather than single points far from a prediction.
"""

from __future__ import annotations

import math

import numpy as np

from orc_ai.anomaly.buffer import RingHistory

_MIN_PAST = 50  # past statistics needed before one is judged against them
_STD_FLOOR = 0.01  # least spread of past statistics (D lies in [0, 1])


def ks_statistic(sample: np.ndarray, reference: np.ndarray) -> float:
    """Two-sample Kolmogorov-Smirnov D: the largest |ECDF_sample - ECDF_reference| over all values seen."""
    a, b = np.sort(sample), np.sort(reference)
    points = np.concatenate([a, b])
    gap = np.searchsorted(a, points, "right") / a.size - np.searchsorted(b, points, "right") / b.size
    return float(np.abs(gap).max())


class DistributionShift:
    """Feed values in order with ``update``; it returns (D, z of D against its past) once both can be computed."""

    def __init__(self, window: int, reference: int, history: int, min_statistic: float):
        self.window = window
        self.reference = reference
        self.min_statistic = min_statistic
        self._values = RingHistory(window + reference)
        self._past = RingHistory(history)  # past statistics, for their running mean and std
        self._sum = 0.0
        self._sum_sq = 0.0

    def update(self, value: float) -> tuple[float, float] | None:
        """Add ``value`` and compare the newest window with the reference before it; None while the reference is
        shorter than a quarter of ``reference`` or fewer than 50 past statistics are held."""
        self._values.append(value)
        held = len(self._values)
        if held < self.window + self.reference // 4:
            return None
        values = self._values.last(held)
        statistic = ks_statistic(values[-self.window :], values[: -self.window])
        out = None
        count = len(self._past)
        if count >= _MIN_PAST:
            mean = self._sum / count
            std = math.sqrt(max(self._sum_sq / count - mean * mean, 0.0))
            out = (statistic, (statistic - mean) / max(std, _STD_FLOOR))
        leaving = self._past.ago(self._past.capacity) if count == self._past.capacity else None
        if leaving is not None:
            self._sum -= leaving
            self._sum_sq -= leaving * leaving
        self._past.append(statistic)
        self._sum += statistic
        self._sum_sq += statistic * statistic
        return out

    def score_z(self, value: float) -> float | None:
        """``update``, then the z when D reaches ``min_statistic`` (None otherwise)."""
        result = self.update(value)
        if result is None or result[0] < self.min_statistic:
            return None
        return result[1]

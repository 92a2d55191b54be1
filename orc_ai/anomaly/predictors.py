"""One-step predictors of the next value from past values only, each with a robust residual scale.

A residual z-score is |x - prediction| divided by the predictor's own recent error scale: the larger of
1.4826 * median |past residual| and the 99th percentile of |past residual| / 2.576 (both are sigma for Gaussian
errors; the second keeps zero-inflated series, whose spikes are routine, from scoring every spike as infinite)."""

from __future__ import annotations

import numpy as np

from orc_ai.anomaly.buffer import RingHistory

_MAD_TO_SIGMA = 1.4826
_TAIL_QUANTILE = 0.99
_TAIL_TO_SIGMA = 1 / 2.576


def fast_median(values: np.ndarray) -> float:
    """The median of a non-empty 1-d array (np.median's checks cost more than the work on short windows)."""
    n = values.size
    half = n // 2
    if n % 2:
        return float(np.partition(values, half)[half])
    part = np.partition(values, (half - 1, half))
    return 0.5 * float(part[half - 1] + part[half])


class ResidualTracker:
    """Robust z-scores of one predictor's residuals, scaled by its own recent residuals."""

    def __init__(self, scale_window: int, refresh: int = 1):
        self._abs = RingHistory(scale_window)
        self._refresh = refresh
        self.scale = 0.0  # the error scale over the window, refreshed every ``refresh`` residuals

    def z(self, residual: float, floor: float) -> float | None:
        """The z-score of ``residual`` against past residuals (None until there are some); then remembers it."""
        z = None
        if len(self._abs) >= 3:
            if self._abs.count % self._refresh == 0 or len(self._abs) < self._abs.capacity:
                self.scale = error_scale(self._abs.last(self._abs.capacity))
            scale = max(self.scale, floor)
            z = abs(residual) / scale if scale > 0 else (0.0 if residual == 0 else np.inf)
        self._abs.append(abs(residual))
        return z


def error_scale(abs_residuals: np.ndarray) -> float:
    """max(1.4826 * median, q99 / 2.576) of absolute residuals."""
    n = abs_residuals.size
    half, tail = n // 2, min(n - 1, int(_TAIL_QUANTILE * n))
    part = np.partition(abs_residuals, (half, tail))
    return max(_MAD_TO_SIGMA * float(part[half]), _TAIL_TO_SIGMA * float(part[tail]))


def local_prediction(history: RingHistory, window: int) -> float | None:
    """Median of the newest ``window`` values."""
    recent = history.last(window)
    return fast_median(recent) if recent.size else None


def seasonal_prediction(history: RingHistory, period: int, seasons: int) -> float | None:
    """Median of the values one, two, ... ``seasons`` periods ago (those held), or None if none is held."""
    past = [history.ago(period * k) for k in range(1, seasons + 1)]
    held = sorted(v for v in past if v is not None)
    if not held:
        return None
    half = len(held) // 2
    return held[half] if len(held) % 2 else 0.5 * (held[half - 1] + held[half])

"""The CUSUM signal: a level shift or a change of variance, as a cumulative sum of standardised residuals.

Page's two-sided CUSUM runs on the usually-best predictor's signed residual z (clipped like the sustained
signal's): ``S+ = max(0, S+ + z - k)`` and ``S- = max(0, S- - z - k)``. With the residuals already scaled by their
own recent errors, ``k`` is half the shift (in error scales) worth detecting and ``h`` the evidence needed; the
statistic maps to a score as ``S / (S + h)`` (0.5 at ``h``). At ``h`` the sums reset, so a sustained change is
reported every few points while it lasts and a new level that the predictors have learnt stops adding evidence.
"""

from __future__ import annotations


class Cusum:
    """Feed signed z-scores in order with ``update``; it returns max(S+, S-) before any reset."""

    def __init__(self, k: float, h: float):
        self.k = k
        self.h = h
        self._up = 0.0
        self._down = 0.0

    def update(self, z: float) -> float:
        """Add one signed z; the larger sum, after which both reset if it reached ``h``."""
        self._up = max(0.0, self._up + z - self.k)
        self._down = max(0.0, self._down - z - self.k)
        statistic = max(self._up, self._down)
        if statistic >= self.h:
            self._up = self._down = 0.0
        return statistic

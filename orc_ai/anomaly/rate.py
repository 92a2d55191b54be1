"""The burst-rate signal: bursts that are routine one at a time, arriving far more often than they used to.

A *burst* is a point whose z (against the usually-best predictor) reaches ``burst_z``. The series' own burst rate
is learnt over the last ``long_window`` points before the recent span; the count in the recent ``short_window``
points is then judged by its Poisson tail probability ``p`` under that rate (with a prior of one burst per long
window, so a series that never burst is not certain never to). The signal is ``-log10 p`` (a likelihood, as NAB's
HTM baseline scores), scored 0.5 at ``-log10 p == z0`` by the detector like the other signals.
"""

from __future__ import annotations

import math

from orc_ai.anomaly.buffer import RingHistory


class BurstRate:
    """Feed each point's z with ``update``; it returns ``-log10`` of the recent burst count's tail probability."""

    def __init__(self, burst_z: float, short_window: int, long_window: int, min_bursts: int = 3):
        self.burst_z = burst_z
        self.short_window = short_window
        self.long_window = long_window
        self.min_bursts = min_bursts
        self._bursts = RingHistory(short_window + long_window)
        self._recent = 0  # bursts in the newest short_window points
        self._cached: tuple[int, int, float] | None = None  # (recent, older, surprise) of the last evaluation

    def update(self, z: float) -> float:
        """Add this point (a burst or not) and score the recent burst count against the learnt rate."""
        history = self._bursts
        leaving = history.ago(self.short_window)  # moves from the recent span to the older one
        self._recent += (z >= self.burst_z) - (leaving or 0.0)
        history.append(float(z >= self.burst_z))
        if self._recent < self.min_bursts or len(history) < self.short_window + self.long_window // 4:
            return 0.0
        older_span = len(history) - self.short_window
        older = float(history.last(len(history))[:older_span].sum())
        if self._cached and self._cached[:2] == (self._recent, older):
            return self._cached[2]
        from scipy.stats import poisson  # imported on first use: scipy.stats takes seconds to import

        expected = (older + 1.0) / (older_span + self.short_window) * self.short_window
        tail = float(poisson.sf(self._recent - 1, expected))
        surprise = -math.log10(max(tail, 1e-300))
        self._cached = (self._recent, int(older), surprise)
        return surprise

"""Which above-threshold points become flags: episodes, a cap per episode, and the rate of recurring bursts.

A *candidate* is a point whose score reaches the threshold. Candidates no more than ``gap`` points apart form one
*episode*. Two rules turn candidates into flags, both from past points only:

- *recurrence*: a burst is routine when at least ``recurrence_count`` earlier episodes within the last
  ``recurrence_window`` points peaked at a score as high as this point's on the same signal (a peaks-over-threshold
  rate: bursts of this size happen here that often). A routine point is not flagged; an episode that grows past the
  usual peaks is. Only the signals in ``recurrence_signals`` are judged so (the surprise signal already measures a
  value against its own past).
- *cap*: at most ``cap`` flags per episode: once an episode has been reported, its later points add nothing that a
  person would act on, and a long regime change stops dominating the flags.

Every episode, flagged or not, is remembered (probation included), so the detector learns a series' own bursts.
"""

from __future__ import annotations

from collections import deque


class EpisodeGate:
    """Feed each point's (index, score, candidate) in order with ``admit``; it says whether to flag the point."""

    def __init__(
        self,
        gap: int,
        cap: int,
        recurrence_window: int,
        recurrence_count: int,
        recurrence_signals: tuple[str, ...] = ("point", "sustained"),
    ):
        self.gap = gap
        self.cap = cap
        self.recurrence_window = recurrence_window
        self.recurrence_count = recurrence_count
        self.recurrence_signals = frozenset(recurrence_signals)
        self._past: deque[tuple[int, dict[str, float]]] = deque()  # (last index, peak per signal) of closed episodes
        self._last: int | None = None  # last candidate index of the open episode
        self._peaks: dict[str, float] = {}
        self._flags = 0  # flags raised in the open episode

    def _close_if_over(self, index: int) -> None:
        if self._last is not None and index - self._last > self.gap:
            self._past.append((self._last, self._peaks))
            self._last, self._peaks, self._flags = None, {}, 0
        while self._past and index - self._past[0][0] > self.recurrence_window:
            self._past.popleft()

    def routine(self, score: float, signal: str) -> bool:
        """Whether enough recent closed episodes peaked at least at ``score`` on ``signal``."""
        if not self.recurrence_count or signal not in self.recurrence_signals:
            return False
        return sum(peaks.get(signal, 0.0) >= score for _, peaks in self._past) >= self.recurrence_count

    def admit(self, index: int, score: float, signal: str, candidate: bool, eligible: bool = True) -> bool:
        """Record the point; True when it is flagged (``eligible`` False, e.g. in probation: remembered only)."""
        self._close_if_over(index)
        if not candidate:
            return False
        self._last = index
        flag = eligible and not self.routine(score, signal) and (not self.cap or self._flags < self.cap)
        self._peaks[signal] = max(self._peaks.get(signal, 0.0), score)
        self._flags += flag
        return flag

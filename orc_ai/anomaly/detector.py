"""The streaming detector: each point is scored from the points before it only, with a fixed threshold.

Predictors (median of the last few points, the long-run median, the same phase in past days and weeks when the
timestamps give a daily period) each give a robust z-score of the new point. These signals are combined:

- *point*: the smallest z over the predictors: a point is surprising only if no predictor explains it (a square
  wave's jumps are explained by the seasonal predictor, a trend by the local one);
- *sustained*: the mean clipped z of the usually-best predictor (smallest error scale) over each of
  ``sustain_windows``: a level shift, a change of variance, a day that stops following the daily pattern;
- *surprise*: that sustained mean as a z against its own past ``surprise_window`` values: their mean and standard
  deviation by default (NAB's "anomaly likelihood": a running Gaussian of the score's moving average, over NAB's
  30 days of 5-minute points), or their median and robust error scale;
- *shift* (``orc_ai.anomaly.shift``): the KS statistic between the newest points and the ones before them, as a
  z against its own past (a second detector family: a change of distribution, not of single residuals);
- *cusum* (``orc_ai.anomaly.cusum``): Page's two-sided CUSUM of the usually-best predictor's signed, clipped z;
- *rate* (off by default, ``orc_ai.anomaly.rate``): the recent count of bursts against the series' own burst rate.

Each signal maps to [0, 1) as z / (z + z0), 0.5 at its own z0; the score is the largest. A point whose score reaches
the threshold is flagged after the probation period, not within ``suppress`` points of the last flag, unless
``orc_ai.anomaly.episodes`` holds it back (a burst as large as the series' recurring ones, or past the cap of
flags per episode).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from orc_ai.anomaly.buffer import RingHistory
from orc_ai.anomaly.cusum import Cusum
from orc_ai.anomaly.episodes import EpisodeGate
from orc_ai.anomaly.params import DetectorParams
from orc_ai.anomaly.predictors import ResidualTracker, fast_median, local_prediction, seasonal_prediction
from orc_ai.anomaly.rate import BurstRate
from orc_ai.anomaly.series import daily_period
from orc_ai.anomaly.shift import DistributionShift

_REFRESH = 8  # robust scales are recomputed every this many points (they move slowly; medians cost the most)


@dataclass(frozen=True)
class PointScore:
    """One point's outcome: its score in [0, 1), whether it was flagged, and the signal that scored it."""

    index: int
    score: float
    flagged: bool
    signal: str  # "point", "sustained", "surprise", "shift", "rate" or "" (nothing to score yet)


class StreamingDetector:
    """Feed values in time order with ``update``; nothing about a point depends on later points."""

    def __init__(self, params: DetectorParams | None = None, period: int | None = None):
        self.params = params or DetectorParams()
        self.period = period if period and period > 1 else None
        p = self.params
        need = max(p.long_window, p.short_window, (self.period or 0) * max(p.seasons, 7 * p.weekly_seasons))
        self._history = RingHistory(need)
        names = ["local", "level"] + (["seasonal"] if self.period else [])
        names += ["weekly"] if self.period and p.weekly_seasons else []
        self._trackers = {name: ResidualTracker(p.scale_window, _REFRESH) for name in names}
        self._floor_value = 0.0
        robust = p.surprise_window and p.surprise_estimator == "robust"
        self._sustained_history = ResidualTracker(p.surprise_window, _REFRESH) if robust else None
        self._sustained_level = RingHistory(p.surprise_window) if p.surprise_window else None
        self._recent_z = {name: RingHistory(max(p.sustain_windows)) for name in names}
        self._episodes = EpisodeGate(
            p.episode_gap, p.episode_cap, p.recurrence_window, p.recurrence_count, p.recurrence_signals
        )
        short = p.rate_short_window or self.period or 288
        self._rate = BurstRate(p.burst_z, short, p.rate_long_window) if p.rate_long_window else None
        self._shift = (
            DistributionShift(p.shift_window, p.shift_reference, p.shift_history, p.shift_min)
            if p.shift_window
            else None
        )
        self._cusum = Cusum(p.cusum_k, p.cusum_h) if p.cusum_h else None
        self._gaussian: tuple[float, float] | None = None  # mean, std of past sustained means (gaussian surprise)
        self._index = 0
        self._last_flag: int | None = None

    def _predictions(self) -> dict[str, float | None]:
        p = self.params
        out = {
            "local": local_prediction(self._history, p.short_window),
            "level": local_prediction(self._history, p.long_window),
        }
        if self.period:
            out["seasonal"] = seasonal_prediction(self._history, self.period, p.seasons)
            if p.weekly_seasons:
                out["weekly"] = seasonal_prediction(self._history, 7 * self.period, p.weekly_seasons)
        return out

    def _floor(self) -> float:
        if self._index % _REFRESH == 0 or self._index < self.params.long_window:
            recent = self._history.last(self.params.long_window)
            if recent.size >= 2:
                low, high = np.percentile(recent, [5, 95])
                self._floor_value = self.params.scale_floor * float(high - low)
        return self._floor_value

    def _surprise(self, sustained: float) -> float | None:
        """z of the sustained mean against its own past (robust: median and error scale; gaussian: mean and std,
        as NAB's anomaly likelihood does), then remembers it; None below the past level or ``surprise_min``."""
        p = self.params
        past = self._sustained_level.last(p.surprise_window)
        surprise = level = None
        if p.surprise_estimator == "gaussian":
            if past.size >= 3:
                if self._index % _REFRESH == 0 or past.size < p.surprise_window or self._gaussian is None:
                    self._gaussian = (float(past.mean()), float(past.std()))
                level, spread = self._gaussian
                surprise = max(sustained - level, 0.0) / max(spread, 0.05)
        elif past.size:
            level = fast_median(past)
            surprise = self._sustained_history.z(sustained - level, 0.05)
        self._sustained_level.append(sustained)
        if surprise is None or sustained <= max(level, p.surprise_min):
            return None
        return surprise

    def update(self, value: float) -> PointScore:
        """Score ``value`` against the history so far, then add it to the history."""
        p = self.params
        floor = self._floor()
        zs: dict[str, float] = {}
        signs: dict[str, float] = {}
        for name, prediction in self._predictions().items():
            if prediction is None:
                continue
            z = self._trackers[name].z(value - prediction, floor)
            if z is not None:
                zs[name] = z
                signs[name] = 1.0 if value >= prediction else -1.0
                self._recent_z[name].append(min(z, p.z_clip))
        self._history.append(value)
        shift = self._shift.score_z(value) if self._shift is not None else None
        index = self._index
        self._index += 1
        if not zs:
            return PointScore(index, 0.0, False, "")
        best = min(zs, key=lambda name: self._trackers[name].scale)
        point = zs[best] if p.point_from == "best" else min(zs.values())
        recent = self._recent_z[best]
        sustained = max((float(recent.last(w).sum()) / w for w in p.sustain_windows if len(recent) >= w), default=0.0)
        signals = {
            "point": point / (point + p.z_point) if np.isfinite(point) else 1.0,
            "sustained": sustained / (sustained + p.z_sustained),
        }
        if self._sustained_level is not None:
            surprise = self._surprise(sustained)
            if surprise is not None:
                signals["surprise"] = surprise / (surprise + p.z_surprise)
        if self._cusum is not None:
            cusum = self._cusum.update(signs[best] * min(zs[best], p.z_clip))
            if cusum > 0:
                signals["cusum"] = cusum / (cusum + p.cusum_h)
        if shift is not None and shift > 0:
            signals["shift"] = shift / (shift + p.z_shift)
        if self._rate is not None:
            rate = self._rate.update(point if np.isfinite(point) else p.burst_z)
            if rate > 0:
                signals["rate"] = rate / (rate + p.z_rate)
        signal = max(signals, key=signals.get)
        score = signals[signal]
        eligible = index >= p.probation and (self._last_flag is None or index - self._last_flag > p.suppress)
        flagged = self._episodes.admit(index, score, signal, score >= p.threshold, eligible)
        if flagged:
            self._last_flag = index
        return PointScore(index, float(score), flagged, signal)


def detect_anomalies(
    timestamps: list[str], values: Iterable[float], params: DetectorParams | None = None
) -> list[tuple[str, float]]:
    """(timestamp, score) of every flagged point, streaming in order; the daily period comes from the timestamps."""
    scores = score_series(values, params, period=daily_period(timestamps))
    return [(timestamps[s.index], s.score) for s in scores if s.flagged]


def score_series(
    values: Iterable[float], params: DetectorParams | None = None, period: int | None = None
) -> list[PointScore]:
    """Every point's score, streaming through ``values`` in order."""
    detector = StreamingDetector(params, period)
    return [detector.update(float(v)) for v in values]

"""The streaming detector flags spikes and level shifts, not flat or seasonal series, and never looks ahead."""

from __future__ import annotations

import numpy as np
import pytest

from orc_ai.anomaly.detector import StreamingDetector, score_series
from orc_ai.anomaly.params import DetectorParams
from orc_ai_tests.anomaly.series_data import PERIOD, daily_sine


def _flags(values, period=PERIOD) -> list[int]:
    return [s.index for s in score_series(values, period=period) if s.flagged]


def test_a_spike_is_flagged_at_the_spike() -> None:
    values = daily_sine(3 * PERIOD * 3)
    values[2000] += 15
    flags = _flags(values)
    assert 2000 in flags
    assert all(1995 <= i <= 2040 for i in flags)


def test_a_level_shift_is_flagged_soon_after_it_starts() -> None:
    rng = np.random.default_rng(1)
    values = np.concatenate([rng.normal(10, 1, 1500), rng.normal(20, 1, 500)])
    flags = _flags(values, period=None)
    assert flags and 1500 <= flags[0] <= 1530
    assert all(i >= 1500 for i in flags)


def test_a_flat_series_is_not_flagged() -> None:
    assert _flags(np.full(3000, 7.0)) == []


def test_a_seasonal_series_is_not_flagged() -> None:
    assert _flags(daily_sine(PERIOD * 12, seed=3)) == []


def test_a_square_wave_is_not_flagged() -> None:
    values = np.where((np.arange(PERIOD * 10) % PERIOD) < PERIOD // 2, 0.0, 80.0)
    assert _flags(values) == []


def test_a_point_score_does_not_change_when_later_points_are_appended() -> None:
    values = daily_sine(2500, seed=4)
    values[1800] += 20
    values[2100:] += 8
    full = score_series(values, period=PERIOD)
    for cut in (700, 1801, 2101):
        assert score_series(values[:cut], period=PERIOD) == full[:cut]


def test_scores_lie_in_the_unit_interval_and_probation_holds_flags() -> None:
    values = daily_sine(1200, seed=5)
    values[100] += 50  # inside the probation period: scored, never flagged
    detector = StreamingDetector(period=PERIOD)
    results = [detector.update(v) for v in values]
    assert all(0.0 <= r.score <= 1.0 for r in results)
    assert results[100].score >= detector.params.threshold and not results[100].flagged


@pytest.mark.parametrize(
    "options",
    [
        {"surprise_estimator": "robust", "surprise_window": 1000},
        {"rate_long_window": 1000, "burst_z": 2.5, "rate_short_window": 48},
        {"recurrence_count": 1, "episode_cap": 5},
    ],
    ids=["robust_surprise", "burst_rate", "episodes"],
)
def test_every_option_scores_a_point_from_earlier_points_only(options: dict) -> None:
    values = daily_sine(2500, seed=6)
    values[1500:1540] += 6
    values[2000] += 25
    params = DetectorParams(**options)
    full = score_series(values, params, period=PERIOD)
    assert any(s.flagged for s in full)
    for cut in (1501, 2001):
        assert score_series(values[:cut], params, period=PERIOD) == full[:cut]


def test_the_gaussian_surprise_flags_a_modest_sustained_rise_that_the_other_signals_miss() -> None:
    rng = np.random.default_rng(1)
    values = rng.normal(10, 1, 4000)
    values[3000:3048] += 1.5  # mean z about 1.7: under the sustained signal's z0 of 4
    scores = score_series(values, DetectorParams(shift_window=0), period=None)  # the shift signal sees it too
    flagged = [s for s in scores if s.flagged]
    assert flagged and all(3000 <= s.index < 3100 for s in flagged)
    assert {s.signal for s in flagged} == {"surprise"}

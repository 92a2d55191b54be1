"""The distribution-shift signal: the KS statistic, its calibration against its own past, and what it adds."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import ks_2samp

from orc_ai.anomaly.detector import score_series
from orc_ai.anomaly.params import DetectorParams
from orc_ai.anomaly.shift import DistributionShift, ks_statistic


def test_the_ks_statistic_is_scipys_including_ties() -> None:
    rng = np.random.default_rng(0)
    for _ in range(20):
        a = rng.integers(0, 6, 48).astype(float)  # many ties
        b = rng.normal(2.5, 2.0, 300).round()
        assert ks_statistic(a, b) == pytest.approx(ks_2samp(a, b).statistic)


def test_the_z_is_against_the_mean_and_std_of_the_last_history_statistics() -> None:
    rng = np.random.default_rng(1)
    values = np.concatenate([rng.normal(0, 1, 400), rng.normal(3, 1, 100)])
    window, reference, history = 10, 40, 60
    shift = DistributionShift(window, reference, history, min_statistic=0.0)
    statistics: list[float] = []
    for i, value in enumerate(values):
        result = shift.update(value)
        if i + 1 < window + reference // 4:
            assert result is None
            continue
        held = values[max(0, i + 1 - window - reference) : i + 1]
        statistic = ks_2samp(held[-window:], held[:-window]).statistic
        past = np.array(statistics[-history:])
        if past.size >= 50:
            expected = (statistic - past.mean()) / max(past.std(), 0.01)
            assert result == pytest.approx((statistic, expected), abs=1e-9)
        else:
            assert result is None
        statistics.append(statistic)


def test_stationary_noise_never_reaches_the_least_statistic() -> None:
    values = np.random.default_rng(2).normal(10, 1, 4000)
    shift = DistributionShift(48, 1000, 8640, min_statistic=0.5)
    assert all(shift.score_z(v) is None for v in values)


def _settling_baseline(seed: int) -> np.ndarray:
    """Sparse spikes on zero; from point 3000 the baseline sits at 0.5, well inside the spikes' usual range."""
    rng = np.random.default_rng(seed)
    values = np.where(rng.random(3400) < 0.05, rng.exponential(2.0, 3400), 0.0)
    values[3000:] += 0.5
    return values


@pytest.mark.parametrize("seed", [0, 1])
def test_a_baseline_that_settles_inside_the_usual_range_is_flagged_by_the_shift_signal(seed: int) -> None:
    values = _settling_baseline(seed)
    flagged = [s for s in score_series(values, DetectorParams(), None) if s.flagged]
    assert flagged and 3000 <= flagged[0].index <= 3048
    assert flagged[0].signal == "shift"
    assert all(s.index >= 3000 for s in flagged)
    without = score_series(values, DetectorParams(shift_window=0), None)
    assert not any(s.flagged for s in without)  # residual z-scores alone miss it


def test_a_routinely_shifting_series_is_not_a_shift() -> None:
    # a square wave with a 96-point cycle: the last 48 points always differ from the 1,000 before them
    values = np.where(np.arange(5000) % 96 < 48, 0.0, 10.0) + np.random.default_rng(3).normal(0, 0.5, 5000)
    shift = DistributionShift(48, 1000, 8640, min_statistic=0.5)
    zs = [shift.score_z(v) for v in values]
    assert any(z is not None for z in zs)  # D reaches 0.5 routinely ...
    assert max(z for z in zs if z is not None) < 5.0  # ... so its z against its own past stays low

"""The CUSUM signal: Page's two-sided sums with reset, and the level shifts it reports in the detector."""

from __future__ import annotations

import numpy as np

from orc_ai.anomaly.cusum import Cusum
from orc_ai.anomaly.detector import score_series
from orc_ai.anomaly.params import DetectorParams


def test_a_steady_positive_drift_reaches_h_then_resets() -> None:
    cusum = Cusum(k=1.0, h=20.0)
    statistics = [cusum.update(3.0) for _ in range(25)]
    assert statistics[:10] == [2.0 * (i + 1) for i in range(10)]  # 3 - k per point, reaching h at the 10th
    assert statistics[10] == 2.0  # reset after reaching h
    assert statistics[19] == 20.0


def test_a_negative_drift_is_summed_on_its_own_side() -> None:
    cusum = Cusum(k=1.0, h=20.0)
    assert [cusum.update(-3.0) for _ in range(3)] == [2.0, 4.0, 6.0]
    assert cusum.update(3.0) == 2.0  # S- falls from 6 to 2, S+ rises from 0 to 2
    assert cusum.update(0.5) == 1.5  # S+ = 2 + 0.5 - 1, S- = 2 - 0.5 - 1


def test_noise_within_the_allowance_never_accumulates() -> None:
    cusum = Cusum(k=1.0, h=20.0)
    zs = np.random.default_rng(0).normal(0, 1, 5000)
    assert max(cusum.update(z) for z in zs) < 20.0


def test_a_level_shift_below_the_other_signals_z0_is_reported_by_the_cusum_every_few_points() -> None:
    rng = np.random.default_rng(4)
    values = np.concatenate([rng.normal(10, 1, 2000), rng.normal(13, 1, 200)])  # 3 sigma: under z_sustained 4
    only_cusum = {"surprise_window": 0, "shift_window": 0}
    flagged = [s for s in score_series(values, DetectorParams(**only_cusum), None) if s.flagged]
    assert flagged and 2000 <= flagged[0].index <= 2020
    assert {s.signal for s in flagged} == {"cusum"}
    assert all(s.index >= 2000 for s in flagged)
    assert len(flagged) < 50  # reset: a few flags while the new level lasts, not one per point
    without = score_series(values, DetectorParams(**only_cusum, cusum_h=0.0), None)
    assert not any(s.flagged for s in without)

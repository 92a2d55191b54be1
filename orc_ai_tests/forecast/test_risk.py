"""The threshold rule: rate thresholds, p95/SLA thresholds and the breach probability behind at_risk."""

from statistics import NormalDist

import numpy as np
import pytest

from orc_ai.forecast.risk import assess, breach_probability, series_threshold


def test_breach_probability_reads_the_interval_as_a_normal():
    assert breach_probability(10.0, 8.0, 12.0, 10.0, 0.8) == pytest.approx(0.5)
    assert breach_probability(10.0, 8.0, 12.0, 12.0, 0.8) == pytest.approx(0.1)  # the upper bound is the 90 % point
    assert breach_probability(10.0, 10.0, 10.0, 9.0, 0.8) == 1.0
    assert breach_probability(10.0, 10.0, 10.0, 11.0, 0.8) == 0.0


def test_an_interval_clipped_at_zero_keeps_its_upper_side():
    # a failure rate predicted below 0 is clipped to 0 with its lower bound; the upper bound still passes 0.2
    at_risk, risk = assess("failure_rate", 0.0, 0.0, 0.335, 0.2)
    assert at_risk is True and risk == pytest.approx(1 - NormalDist(0, 0.335 / 1.2815516).cdf(0.2), rel=1e-6)
    assert breach_probability(5.0, 4.0, 9.0, 3.0, 0.8) == pytest.approx(1 - NormalDist(5, 1 / 1.2815516).cdf(3.0))


def test_failure_rate_is_at_risk_once_its_upper_bound_passes_the_rate():
    assert assess("failure_rate", 0.1, 0.0, 0.25, 0.2)[0] is True
    assert assess("failure_rate", 0.1, 0.0, 0.15, 0.2)[0] is False


def test_duration_is_at_risk_when_the_prediction_passes_its_threshold():
    assert assess("duration_s", 110.0, 90.0, 130.0, 120.0)[0] is False  # upper above, prediction below
    assert assess("duration_s", 125.0, 100.0, 150.0, 120.0)[0] is True


def test_thresholds_come_from_the_rate_the_history_or_the_sla():
    history = np.arange(1, 101, dtype=float)
    assert series_threshold("failure_rate", history, failure_rate_threshold=0.3) == 0.3
    assert series_threshold("duration_s", history) == pytest.approx(np.quantile(history, 0.95))
    assert series_threshold("duration_s", history, sla_s=60.0) == 60.0

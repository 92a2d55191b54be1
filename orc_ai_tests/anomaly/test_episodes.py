"""Episodes: a burst as large as the series' recurring ones is routine; flags per episode can be capped."""

from __future__ import annotations

from orc_ai.anomaly.episodes import EpisodeGate


def _flags(gate: EpisodeGate, bursts: list[tuple[int, float, str]], length: int) -> list[int]:
    by_index = {i: (score, signal) for i, score, signal in bursts}
    flags = []
    for i in range(length):
        score, signal = by_index.get(i, (0.0, "point"))
        if gate.admit(i, score, signal, score >= 0.5):
            flags.append(i)
    return flags


def test_a_burst_recurring_at_its_usual_size_stops_flagging_and_a_larger_one_still_flags() -> None:
    gate = EpisodeGate(gap=12, cap=0, recurrence_window=2000, recurrence_count=2)
    bursts = [(100 * k, 0.7, "point") for k in range(1, 8)] + [(900, 0.9, "point")]
    assert _flags(gate, bursts, 1000) == [100, 200, 900]  # two to learn from, then routine until one beats them


def test_bursts_are_forgotten_after_the_recurrence_window() -> None:
    gate = EpisodeGate(gap=12, cap=0, recurrence_window=250, recurrence_count=2)
    bursts = [(100, 0.7, "point"), (200, 0.7, "point"), (300, 0.7, "point"), (700, 0.7, "point")]
    assert _flags(gate, bursts, 800) == [100, 200, 700]


def test_surprise_bursts_are_not_judged_by_recurrence_unless_asked() -> None:
    bursts = [(100 * k, 0.7, "surprise") for k in range(1, 5)]
    assert _flags(EpisodeGate(12, 0, 2000, 1), bursts, 500) == [100, 200, 300, 400]
    every_signal = EpisodeGate(12, 0, 2000, 1, recurrence_signals=("point", "sustained", "surprise"))
    assert _flags(every_signal, bursts, 500) == [100]


def test_the_cap_limits_flags_per_episode_and_a_new_episode_starts_after_the_gap() -> None:
    gate = EpisodeGate(gap=3, cap=2, recurrence_window=2000, recurrence_count=0)
    bursts = [(i, 0.8, "sustained") for i in (10, 11, 12, 14, 20, 21)]
    assert _flags(gate, bursts, 30) == [10, 11, 20, 21]


def test_points_not_eligible_are_remembered_but_never_flagged() -> None:
    gate = EpisodeGate(gap=12, cap=0, recurrence_window=2000, recurrence_count=2)
    flags = [i for i in range(400) if gate.admit(i, 0.7 if i % 100 == 50 else 0.0, "point", i % 100 == 50, i >= 200)]
    assert flags == []  # two bursts during probation made the later ones routine

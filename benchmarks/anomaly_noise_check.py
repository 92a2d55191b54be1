"""False alarms of the streaming detector on seeded anomaly-free series, a check outside NAB.

Families (``--seeds`` series each, 4,000 points, 5-minute steps so the daily period is 288): Gaussian noise,
AR(1) noise (phi 0.9), a noisy daily sine, sparse spikes (Bernoulli 2% of Exp(1) bursts on zero), and a daily
square wave with noise. Every flag on them is false. A 1.5-sigma rise over 48 points added to the Gaussian
series checks that the detector still finds a small sustained change. Each variant of ``benchmarks/nab_anomaly.py``
named on the command line is run.

    PYTHONPATH=. .venv/bin/python benchmarks/anomaly_noise_check.py --variants default no_shift
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from benchmarks.nab_anomaly import VARIANTS
from orc_ai.anomaly.detector import score_series
from orc_ai.anomaly.params import DetectorParams

POINTS = 4000
PERIOD = 288


def families(seed: int) -> dict[str, np.ndarray]:
    """Anomaly-free series of each family for one seed."""
    rng = np.random.default_rng(100 + seed)
    t = np.arange(POINTS)
    ar = np.zeros(POINTS)
    shocks = rng.normal(0, 1, POINTS)
    for i in range(1, POINTS):
        ar[i] = 0.9 * ar[i - 1] + shocks[i]
    spikes = np.where(rng.random(POINTS) < 0.02, rng.exponential(1.0, POINTS), 0.0)
    return {
        "gaussian": rng.normal(10, 1, POINTS),
        "ar1": 50 + ar,
        "sine": 10 * np.sin(2 * np.pi * t / PERIOD) + rng.normal(0, 1, POINTS),
        "spikes": spikes,
        "square": np.where(t % PERIOD < PERIOD // 2, 20.0, 80.0) + rng.normal(0, 2, POINTS),
    }


def check(params: DetectorParams, seeds: int) -> dict:
    """Flags per family (all false) and how many seeded 1.5-sigma rises were found."""
    flags: dict[str, int] = {}
    found = 0
    for seed in range(seeds):
        series = families(seed)
        for name, values in series.items():
            period = None if name == "gaussian" else PERIOD
            flags[name] = flags.get(name, 0) + sum(s.flagged for s in score_series(values, params, period))
        bumped = series["gaussian"].copy()
        bumped[3000:3048] += 1.5
        found += any(s.flagged and 3000 <= s.index < 3100 for s in score_series(bumped, params, None))
    return {"false_flags": flags, "rises_found": f"{found}/{seeds}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="*", default=["default"], help="Names from nab_anomaly.VARIANTS.")
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    for variant in args.variants:
        print(variant, json.dumps(check(DetectorParams(**VARIANTS[variant]), args.seeds)), flush=True)


if __name__ == "__main__":
    main()

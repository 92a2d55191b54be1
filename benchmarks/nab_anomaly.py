"""NAB composite F-score (Garg et al. 2021) of the streaming detector with its fixed threshold.

Point-wise precision: the share of flagged points that lie inside a labelled window. Event-wise recall: the share
of labelled windows holding at least one flagged point. The first 15% of each file is ignored (its flags are not
counted, windows are clipped to the rest, a window wholly inside it is dropped). F = 2PR / (P + R).

Aggregation: *pooled* sums flags, flags inside windows, windows and detected windows over the files of a group,
then computes P, R and F once (a file without windows adds its flags as false positives). *mean of files* averages
the per-file F over the group's files that have windows. Files are split, sorted by name within each category,
into a development half (even positions: parameters were chosen on it) and a held-out half (odd positions).

    .venv/bin/python benchmarks/nab_anomaly.py --data /work/shared/data/nab --out benchmarks/results_nab_anomaly.json
"""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

import numpy as np

from orc_ai.anomaly.detector import score_series
from orc_ai.anomaly.params import DetectorParams
from orc_ai.anomaly.series import daily_period, read_series

PROBATION_SHARE = 0.15
_ALL_SIGNALS = ("point", "sustained", "surprise")

# The session-3 default (robust surprise over 1,000 points, z0 4): the base of every variant measured before session 4's
# change of default, kept so that BENCHMARKS.md's earlier tables can be re-run.
_S3 = {"surprise_estimator": "robust", "surprise_window": 1000, "z_surprise": 4.0}

# Variants: "default" is the shipped DetectorParams(); "s3_*" are one change from the session-3 default (tuning
# history and ablations in BENCHMARKS.md), the others one change from the shipped default.
VARIANTS: dict[str, dict] = {
    "default": {},
    "s3_default": _S3,
    "s3_scale_600": {**_S3, "scale_window": 600},
    "s3_scale_3000": {**_S3, "scale_window": 3000},
    "s3_surprise_min_0": {**_S3, "surprise_min": 0.0},
    "s3_no_surprise": {**_S3, "surprise_window": 0},
    "s3_surprise_z6": {**_S3, "z_surprise": 6.0},
    "s3_suppress_288": {**_S3, "suppress": 288},
    "s3_point_from_min_z8": {**_S3, "point_from": "min", "z_point": 8.0},
    "s3_no_weekly": {**_S3, "weekly_seasons": 0},
    "s3_sustain_12": {**_S3, "sustain_windows": (12,)},
    "s3_cap_12": {**_S3, "episode_cap": 12},
    "s3_cap_48": {**_S3, "episode_cap": 48},
    "s3_cap_144": {**_S3, "episode_cap": 144},
    "s3_recur_all_1": {**_S3, "recurrence_count": 1, "recurrence_signals": _ALL_SIGNALS},
    "s3_recur_all_2": {**_S3, "recurrence_count": 2, "recurrence_signals": _ALL_SIGNALS},
    "s3_recur_all_3": {**_S3, "recurrence_count": 3, "recurrence_signals": _ALL_SIGNALS},
    "s3_recur_all_2_w5000": {
        **_S3,
        "recurrence_count": 2,
        "recurrence_window": 5000,
        "recurrence_signals": _ALL_SIGNALS,
    },
    "s3_recur_ps_1_w5000": {**_S3, "recurrence_count": 1, "recurrence_window": 5000},
    "s3_recur_ps_2_w5000": {**_S3, "recurrence_count": 2, "recurrence_window": 5000},
    "s3_recur_ps_2_w2000": {**_S3, "recurrence_count": 2},
    "s3_recur_ps_3_w5000": {**_S3, "recurrence_count": 3, "recurrence_window": 5000},
    "s3_gauss": {**_S3, "surprise_estimator": "gaussian"},
    "s3_gauss_z3": {**_S3, "surprise_estimator": "gaussian", "z_surprise": 3.0},
    "s3_gauss_z5": {**_S3, "surprise_estimator": "gaussian", "z_surprise": 5.0},
    "s3_gauss_w5000": {**_S3, "surprise_estimator": "gaussian", "surprise_window": 5000},
    "s3_gauss_w8640": {**_S3, "surprise_estimator": "gaussian", "surprise_window": 8640},
    "s3_gauss_w2500": {**_S3, "surprise_estimator": "gaussian", "surprise_window": 2500},
    "s3_robust_w5000": {**_S3, "surprise_window": 5000},
    "s3_rate_day_b4": {**_S3, "rate_long_window": 4000},
    "s3_rate_day": {**_S3, "rate_long_window": 4000, "burst_z": 2.5},
    "s3_rate_48": {**_S3, "rate_long_window": 4000, "burst_z": 2.5, "rate_short_window": 48},
    "s3_rate_48_z6": {**_S3, "rate_long_window": 4000, "burst_z": 2.5, "rate_short_window": 48, "z_rate": 6.0},
    # one change from the shipped default (gaussian surprise over 8,640 points, z0 5)
    "surprise_w5000": {"surprise_window": 5000},
    "surprise_robust": {"surprise_estimator": "robust"},
    "surprise_z4": {"z_surprise": 4.0},
    "surprise_z6": {"z_surprise": 6.0},
    "recur_all_2": {"recurrence_count": 2, "recurrence_signals": _ALL_SIGNALS},
    "cap_48": {"episode_cap": 48},
    # session 5: the KS distribution-shift signal (48 vs 1,000 points, z0 5, D >= 0.5) and the CUSUM (k 2, h 10);
    # the shift_* variants are one change from the shipped default, the cusum_* ones set both CUSUM parameters
    "no_cusum": {"cusum_h": 0.0},
    "no_cusum_no_shift": {"cusum_h": 0.0, "shift_window": 0},
    "cusum_k1_h20": {"cusum_k": 1.0, "cusum_h": 20.0},
    "cusum_k1_h10": {"cusum_k": 1.0, "cusum_h": 10.0},
    "cusum_k1_h40": {"cusum_k": 1.0, "cusum_h": 40.0},
    "cusum_k05_h20": {"cusum_k": 0.5, "cusum_h": 20.0},
    "cusum_k2_h20": {"cusum_k": 2.0, "cusum_h": 20.0},
    "cusum_k2_h5": {"cusum_k": 2.0, "cusum_h": 5.0},
    "cusum_k3_h10": {"cusum_k": 3.0, "cusum_h": 10.0},
    "shift_ref_500": {"shift_reference": 500},
    "shift_ref_2000": {"shift_reference": 2000},
    "shift_w96": {"shift_window": 96},
    "shift_z4": {"z_shift": 4.0},
    "shift_z6": {"z_shift": 6.0},
    "shift_min_04": {"shift_min": 0.4},
    "shift_min_06": {"shift_min": 0.6},
}


def _parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.strip())


def evaluate_file(path: Path, windows: list[list[str]], params: dict, use_period: bool = True) -> dict:
    """Counts for one file: flags and flags inside windows after the ignored prefix, windows and detected ones."""
    series = read_series(path)
    period = daily_period(series.timestamps) if use_period else None
    scores = score_series(series.values, DetectorParams(**params), period=period)
    times = np.array([_parse(t) for t in series.timestamps], dtype="datetime64[us]")
    start = int(np.floor(PROBATION_SHARE * len(times)))
    flagged = np.array([s.index for s in scores if s.flagged and s.index >= start], dtype=int)
    spans = []
    for begin, end in windows:
        inside = np.nonzero((times >= np.datetime64(_parse(begin))) & (times <= np.datetime64(_parse(end))))[0]
        inside = inside[inside >= start]
        if inside.size:
            spans.append((int(inside[0]), int(inside[-1])))
    in_window = [any(a <= i <= b for a, b in spans) for i in flagged]
    detected = sum(any(a <= i <= b for i in flagged) for a, b in spans)
    return {
        "points": len(times),
        "period": period,
        "flags": int(flagged.size),
        "true_flags": int(sum(in_window)),
        "windows": len(spans),
        "detected": int(detected),
        "flag_times": [series.timestamps[i] for i in flagged],
    }


def _f(flags: int, true_flags: int, windows: int, detected: int) -> dict:
    precision = true_flags / flags if flags else 0.0
    recall = detected / windows if windows else None
    f = 2 * precision * recall / (precision + recall) if recall is not None and precision + recall > 0 else 0.0
    return {"precision": precision, "recall": recall, "f": f if recall is not None else None}


def aggregate(files: dict[str, dict]) -> dict:
    """Pooled and mean-of-files scores over ``files``."""
    keys = ("flags", "true_flags", "windows", "detected")
    totals = {k: sum(r[k] for r in files.values()) for k in keys}
    per_file = [_f(*(r[k] for k in keys))["f"] for r in files.values() if r["windows"]]
    return {
        **totals,
        "files": len(files),
        "pooled": _f(*(totals[k] for k in keys)),
        "mean_of_files_f": float(np.mean(per_file)) if per_file else None,
    }


def split_halves(names: list[str]) -> dict[str, str]:
    """'dev' or 'holdout' per file: alternating positions by name within each category."""
    out: dict[str, str] = {}
    for category in sorted({n.split("/")[0] for n in names}):
        members = sorted(n for n in names if n.split("/")[0] == category)
        for position, name in enumerate(members):
            out[name] = "dev" if position % 2 == 0 else "holdout"
    return out


def run_variant(data: Path, windows: dict, params: dict, names: list[str], jobs: int) -> dict[str, dict]:
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {n: pool.submit(evaluate_file, data / "data" / n, windows[n], params) for n in names}
        return {n: f.result() for n, f in futures.items()}


def report(files: dict[str, dict], halves: dict[str, str]) -> dict:
    groups: dict[str, dict] = {"overall": aggregate(files)}
    for half in ("dev", "holdout"):
        groups[half] = aggregate({n: r for n, r in files.items() if halves[n] == half})
    for category in sorted({n.split("/")[0] for n in files}):
        groups[category] = aggregate({n: r for n, r in files.items() if n.startswith(category + "/")})
        for half in ("dev", "holdout"):
            members = {n: r for n, r in files.items() if n.startswith(category + "/") and halves[n] == half}
            groups[f"{category}/{half}"] = aggregate(members)
    return groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data/nab"))
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS), help="Names from VARIANTS.")
    parser.add_argument("--half", choices=("dev", "holdout", "all"), default="all", help="Files to run.")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    windows = json.loads((args.data / "combined_windows.json").read_text())
    halves = split_halves(list(windows))
    names = [n for n in sorted(windows) if args.half == "all" or halves[n] == args.half]
    results = {}
    for variant in args.variants:
        began = time.perf_counter()
        files = run_variant(args.data, windows, VARIANTS[variant], names, args.jobs)
        groups = report(files, halves)
        results[variant] = {
            "params": DetectorParams(**VARIANTS[variant]).model_dump(),
            "groups": groups,
            "files": files,
            "seconds": round(time.perf_counter() - began, 1),
        }
        line = {
            g: round(v["pooled"]["f"], 3) if v["pooled"]["f"] is not None else None
            for g, v in groups.items()
            if "/" not in g
        }
        print(variant, json.dumps(line), f"{results[variant]['seconds']}s", flush=True)
        if args.out:  # after each variant, so an interrupted run keeps what it measured
            args.out.write_text(json.dumps({"halves": halves, "variants": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()

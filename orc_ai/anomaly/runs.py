"""``run_anomalies``: anomalous task tries in the ``airflow_task_runs`` history.

Three detectors: the streaming detector over each (dag_id, task_id)'s log durations in start order (each try judged
only by the tries before it), IsolationForest over per-try features (log duration, its ratio to the task's
median, try number, failed, hour of start), and the Prophet-interval detector (``orc_ai.anomaly.intervals``: a
successful try outside its day's ``task_duration_forecast`` interval) when a forecast table is given. One output
row per flagged try, naming the detector(s) that flagged it. A detector that cannot run is skipped with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from orc_ai.anomaly.detector import StreamingDetector
from orc_ai.anomaly.intervals import PROPHET_INTERVAL, interval_flags
from orc_ai.anomaly.params import DetectorParams
from orc_ai.taskruns.schema import TRY_KEY, conform_task_runs

STREAMING = "streaming"
ISOLATION_FOREST = "isolation_forest"
RUN_ANOMALIES_SCHEMA: dict[str, pl.DataType] = {
    "dag_id": pl.String(),
    "run_id": pl.String(),
    "task_id": pl.String(),
    "map_index": pl.Int32(),
    "try_number": pl.Int32(),
    "start_date": pl.Datetime("us", "UTC"),
    "duration_s": pl.Float64(),
    "detectors": pl.String(),  # comma-separated, sorted
    "score": pl.Float64(),  # the largest detector score, in [0, 1]
    "reason": pl.String(),
}
FEATURES = ("log_duration", "log_ratio_to_task_median", "try_number", "failed", "start_hour")


@dataclass(frozen=True)
class RunAnomalies:
    """The flagged tries plus the params and metrics to log (e.g. to MLflow), and why any detector was skipped."""

    table: pl.DataFrame
    params: dict[str, object] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # detector -> reason it did not run


def _streaming_flags(tries: pl.DataFrame, params: DetectorParams) -> pl.DataFrame:
    rows = []
    for _, series in tries.group_by("dag_id", "task_id", maintain_order=True):
        detector = StreamingDetector(params)
        for position, row in enumerate(series.iter_rows(named=True)):
            result = detector.update(float(np.log1p(row["duration_s"])))
            if result.flagged:
                median = float(series["duration_s"][:position].median())
                rows.append(
                    {
                        **{k: row[k] for k in TRY_KEY},
                        "score": result.score,
                        "reason": f"{STREAMING}: duration {row['duration_s']:.1f}s against a median of {median:.1f}s "
                        f"over the task's {position} earlier tries ({result.signal})",
                    }
                )
    return pl.DataFrame(
        rows, schema={**{k: RUN_ANOMALIES_SCHEMA[k] for k in TRY_KEY}, "score": pl.Float64, "reason": pl.String}
    )


def try_features(tries: pl.DataFrame) -> pl.DataFrame:
    """The IsolationForest features of each try (rows in the same order)."""
    log_duration = pl.col("duration_s").log1p()
    return tries.select(
        log_duration.alias("log_duration"),
        (log_duration - log_duration.median().over("dag_id", "task_id")).alias("log_ratio_to_task_median"),
        pl.col("try_number").cast(pl.Float64),
        (pl.col("state") == "failed").fill_null(False).cast(pl.Float64).alias("failed"),
        pl.col("start_date").dt.hour().cast(pl.Float64).alias("start_hour"),
    )


def _forest_flags(tries: pl.DataFrame, contamination: float, seed: int) -> pl.DataFrame:
    from sklearn.ensemble import IsolationForest

    features = try_features(tries)
    forest = IsolationForest(contamination=contamination, random_state=seed, n_estimators=200)
    matrix = features.to_numpy()
    labels = forest.fit_predict(matrix)
    scores = -forest.score_samples(matrix)  # the paper's anomaly score s(x) in (0, 1]; 0.5 is unremarkable
    flagged = np.nonzero(labels == -1)[0]
    rows = []
    for i in flagged:
        row = tries.row(int(i), named=True)
        ratio = float(np.expm1(features["log_ratio_to_task_median"][int(i)]) + 1)
        rows.append(
            {
                **{k: row[k] for k in TRY_KEY},
                "score": float(scores[i]),
                "reason": f"{ISOLATION_FOREST}: duration {row['duration_s']:.1f}s ({ratio:.2f}x the task's median), "
                f"try {row['try_number']}, state {row['state']}",
            }
        )
    return pl.DataFrame(
        rows, schema={**{k: RUN_ANOMALIES_SCHEMA[k] for k in TRY_KEY}, "score": pl.Float64, "reason": pl.String}
    )


def run_anomalies(
    task_runs: pl.DataFrame,
    *,
    detector: DetectorParams,
    contamination: float,
    min_tries: int,
    seed: int,
    duration_forecast: pl.DataFrame | None = None,
) -> RunAnomalies:
    """Flagged tries of ``task_runs`` (TASK_RUNS_SCHEMA): one row per try with its detectors, score and reason.
    ``duration_forecast`` (FORECAST_SCHEMA) enables the Prophet-interval detector; None skips it."""
    runs = conform_task_runs(task_runs)
    tries = runs.filter(pl.col("duration_s").is_not_null() & pl.col("start_date").is_not_null())
    tries = tries.filter(pl.col("duration_s") >= 0).sort("start_date", *TRY_KEY)
    flags = {STREAMING: _streaming_flags(tries, detector)}
    skipped: dict[str, str] = {}
    forest_fitted = tries.height >= min_tries
    if forest_fitted:
        flags[ISOLATION_FOREST] = _forest_flags(tries, contamination, seed)
    else:
        skipped[ISOLATION_FOREST] = f"{tries.height} tries with a duration, fewer than min_tries {min_tries}"
    judged = 0
    if duration_forecast is None:
        skipped[PROPHET_INTERVAL] = "no task_duration_forecast table (not materialised yet)"
    else:
        found = interval_flags(tries, duration_forecast)
        flags[PROPHET_INTERVAL], judged = found.table, found.judged
    merged = (
        pl.concat([f.with_columns(pl.lit(name).alias("detector")) for name, f in flags.items()])
        .sort("detector")
        .group_by(list(TRY_KEY), maintain_order=True)
        .agg(
            pl.col("detector").str.join(",").alias("detectors"), pl.col("score").max(), pl.col("reason").str.join("; ")
        )
    )
    table = (
        merged.join(tries.select(*TRY_KEY, "start_date", "duration_s"), on=list(TRY_KEY), how="left")
        .select(list(RUN_ANOMALIES_SCHEMA))
        .cast(RUN_ANOMALIES_SCHEMA)
        .sort("start_date", *TRY_KEY)
    )
    counts = {name: int(f.height) for name, f in flags.items()}
    params = {
        **{f"streaming_{k}": v for k, v in detector.model_dump().items()},
        "isolation_forest_contamination": contamination,
        "isolation_forest_min_tries": min_tries,
        "isolation_forest_features": ",".join(FEATURES),
        "seed": seed,
    }
    metrics = {
        "tries": float(runs.height),
        "tries_scored": float(tries.height),
        "tries_without_duration": float(runs.height - tries.height),
        "series": float(tries.select("dag_id", "task_id").n_unique()) if tries.height else 0.0,
        "flagged_streaming": float(counts.get(STREAMING, 0)),
        "flagged_isolation_forest": float(counts.get(ISOLATION_FOREST, 0)),
        "isolation_forest_fitted": float(forest_fitted),
        "flagged_prophet_interval": float(counts.get(PROPHET_INTERVAL, 0)),
        "prophet_interval_judged": float(judged),
        "prophet_interval_run": float(PROPHET_INTERVAL not in skipped),
        "flagged_tries": float(table.height),
    }
    return RunAnomalies(table=table, params=params, metrics=metrics, skipped=skipped)

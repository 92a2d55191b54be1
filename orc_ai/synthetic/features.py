"""The modelled view of a task-run history, and task runs rebuilt from a synthetic sample of it.

The synthesizer models one row per try on the columns that vary from try to try (which task, state, try number,
duration, time of day, weekday, run type, error class). Columns that belong to the task rather than the try
(operator, pool, queue, executor, hostname, max_tries) are copied from the task's most common real value; error
messages and log tails are copied from a real failed try of the same task and error class, so no text is invented.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from orc_ai.taskruns.schema import conform_task_runs

SYNTHETIC_RUN_PREFIX = "synthetic__"
FAILED_STATES = ("failed", "up_for_retry")
TASK_KEY_SEPARATOR = "\x1f"  # joins dag_id and task_id into one categorical: a task never lands in another DAG
TASK_COLUMNS = ("operator", "pool", "queue", "executor", "hostname", "max_tries")
# sdtype of every column the quality report scores (dag_id and task_id apart, as the table has them)
EVALUATED_SDTYPES: dict[str, str] = {
    "dag_id": "categorical",
    "task_id": "categorical",
    "state": "categorical",
    "try_number": "numerical",
    "duration_s": "numerical",
    "start_hour": "numerical",
    "weekday": "categorical",
    "run_type": "categorical",
    "error_class": "categorical",
}
# The synthesizer fits the same tries with dag_id and task_id joined into "task", and the numbers that depend most on
# the task taken relative to it: a copula links a category to a number only through one correlation, so durations
# that differ by task by orders of magnitude, or hourly next to nightly start times, would be shared out among tasks.
# duration_ratio is the duration over the task's median; start_quantile the start hour's rank among the task's real
# start hours (0..1), turned back through the task's own start hours. Error class and texts are not modelled: a
# failed synthetic try takes them from a real failed try of the same task.
MODELLED_SDTYPES: dict[str, str] = {
    "task": "categorical",
    "state": "categorical",
    "try_number": "numerical",
    "duration_ratio": "numerical",
    "start_quantile": "numerical",
    "weekday": "categorical",
    "run_type": "categorical",
}


def evaluated_view(task_runs: pl.DataFrame) -> pl.DataFrame:
    """One row per try with the modelled columns: start time as hour of day (0..24) and weekday (0 = Monday)."""
    start = pl.col("start_date")
    return task_runs.select(
        "dag_id",
        "task_id",
        "state",
        pl.col("try_number").cast(pl.Int64),
        "duration_s",
        (start.dt.hour() + start.dt.minute() / 60 + start.dt.second() / 3600).alias("start_hour"),
        (start.dt.weekday() - 1).cast(pl.Int64).alias("weekday"),
        "run_type",
        "error_class",
    )


def task_scales(task_runs: pl.DataFrame) -> pl.DataFrame:
    """Per task: the median duration of its successful tries (of all its timed tries when none succeeded), and its
    real start hours, sorted."""
    timed = pl.col("duration_s").filter(pl.col("duration_s") > 0)
    ok = pl.col("duration_s").filter((pl.col("duration_s") > 0) & (pl.col("state") == "success"))
    median = pl.coalesce(ok.median(), timed.median(), pl.lit(1.0))
    view = evaluated_view(task_runs)
    return view.group_by("dag_id", "task_id").agg(
        median.alias("median_duration_s"), pl.col("start_hour").drop_nulls().sort().alias("start_hours")
    )


def modelled_view(task_runs: pl.DataFrame) -> pl.DataFrame:
    """The tries as the synthesizer fits them (see MODELLED_SDTYPES)."""
    view = evaluated_view(task_runs).join(task_scales(task_runs), on=["dag_id", "task_id"], how="left")
    task = pl.concat_str([pl.col("dag_id"), pl.col("task_id")], separator=TASK_KEY_SEPARATOR).alias("task")
    ratio = (pl.col("duration_s") / pl.col("median_duration_s")).alias("duration_ratio")
    started = pl.col("start_hour").is_not_null()
    rank = pl.col("start_hour").rank("ordinal").over("dag_id", "task_id")
    quantile = ((rank - 0.5) / started.sum().over("dag_id", "task_id")).alias("start_quantile")
    return view.with_columns(task, ratio, pl.when(started).then(quantile)).select(list(MODELLED_SDTYPES))


def _task_profile(real: pl.DataFrame) -> pl.DataFrame:
    """Per task, the most common real value of each per-task column (ties: the smallest, so it is deterministic)."""
    aggs = [pl.col(c).drop_nulls().mode().sort().first().alias(c) for c in TASK_COLUMNS]
    return real.group_by("dag_id", "task_id").agg(aggs)


def _weekday_days(weekdays: np.ndarray, start: np.datetime64, span_days: int, rng: np.random.Generator) -> np.ndarray:
    """A day in ``[start, start + span_days)`` for each weekday, drawn uniformly among the days with that weekday."""
    first_weekday = (start.astype("datetime64[D]").astype("int64") + 3) % 7  # 1970-01-01 was a Thursday (3)
    offsets = (weekdays - first_weekday) % 7
    counts = np.maximum(1, -(-(span_days - offsets) // 7))
    weeks = np.floor(rng.random(len(weekdays)) * counts).astype("int64")
    return start.astype("datetime64[D]") + (offsets + 7 * weeks).astype("timedelta64[D]")


def rebuild_task_runs(
    sampled: pl.DataFrame, real: pl.DataFrame, *, seed: int, run_label: str | None = None
) -> pl.DataFrame:
    """Rows of TASK_RUNS_SCHEMA from a synthetic sample of the modelled view.

    Each sampled try gets its own run id ``synthetic__<label>__<n>`` (unique keys; the synthesizer models tries,
    not runs). Days are spread over a span as much longer than the real one as the sample is larger, on the
    sampled weekday; start = day + the task's real start hour at the sampled rank, duration = sampled ratio x the
    task's median, end = start + duration. Error fields only on failed tries (see ``_with_real_errors``).
    """
    rng = np.random.default_rng(seed)
    n = sampled.height
    label = run_label if run_label is not None else str(seed)
    parts = sampled["task"].str.split_exact(TASK_KEY_SEPARATOR, 1).struct.rename_fields(["dag_id", "task_id"])
    frame = sampled.drop("task").with_columns(parts.struct.unnest()).with_row_index("row")

    real_start = real["start_date"].drop_nulls()
    first = (real_start.min() if real_start.len() else real["logical_date"].min()).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    last = real_start.max() if real_start.len() else first
    real_days = max(1, (last - first).days + 1)
    span_days = max(real_days, int(np.ceil(real_days * n / max(1, real.height))))
    weekdays = frame["weekday"].fill_null(0).cast(pl.Int64).to_numpy()
    days = _weekday_days(weekdays, np.datetime64(first.replace(tzinfo=None), "D"), span_days, rng)

    frame = frame.with_columns(pl.Series("day", days).cast(pl.Datetime("us")).dt.replace_time_zone("UTC"))
    frame = frame.join(task_scales(real), on=["dag_id", "task_id"], how="left")
    hours = pl.col("start_hours")
    index = (pl.col("start_quantile").clip(0.0, 1.0) * hours.list.len()).floor().cast(pl.Int64)
    hour = hours.list.get(index.clip(0, hours.list.len() - 1), null_on_oob=True)
    start = pl.col("day") + pl.duration(microseconds=(hour * 3_600_000_000).round().cast(pl.Int64))
    duration = (pl.col("duration_ratio") * pl.col("median_duration_s")).clip(lower_bound=0.0)
    frame = frame.with_columns(
        start.alias("start_date"),
        pl.when(start.is_not_null()).then(duration).alias("duration_s"),
    ).with_columns(
        (pl.col("start_date") + pl.duration(microseconds=(pl.col("duration_s") * 1e6).round().cast(pl.Int64)))
        .alias("end_date"),
        pl.col("day").alias("logical_date"),
    )
    frame = frame.with_columns(
        ((pl.col("end_date") - pl.col("start_date")).dt.total_microseconds() / 1e6).alias("duration_s"),
        pl.col("try_number").clip(lower_bound=0).cast(pl.Int32),  # 0: a try that never ran
        pl.lit(-1, dtype=pl.Int32).alias("map_index"),
        (pl.lit(f"{SYNTHETIC_RUN_PREFIX}{label}__") + pl.col("row").cast(pl.String).str.zfill(len(str(n)))).alias(
            "run_id"
        ),
    )
    frame = frame.join(_task_profile(real), on=["dag_id", "task_id"], how="left")
    frame = frame.with_columns(pl.max_horizontal("max_tries", "try_number").cast(pl.Int32).alias("max_tries"))
    return conform_task_runs(_with_real_errors(frame, real, rng))


def _with_real_errors(frame: pl.DataFrame, real: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Each failed try takes error_class, error_message and log_tail from a real failed try of the same task (else
    of the same DAG, else any), drawn uniformly; other tries have none."""
    failed = real.filter(pl.col("state").is_in(FAILED_STATES)).select(
        "dag_id", "task_id", pl.struct("error_class", "error_message", "log_tail").alias("error")
    )
    columns = [pl.lit(None, pl.String).alias(c) for c in ("error_class", "error_message", "log_tail")]
    if failed.is_empty():
        return frame.with_columns(columns)
    by_task = failed.group_by("dag_id", "task_id").agg(pl.col("error").alias("task_errors"))
    by_dag = failed.group_by("dag_id").agg(pl.col("error").alias("dag_errors"))
    joined = (
        frame.join(by_task, on=["dag_id", "task_id"], how="left")
        .join(by_dag, on="dag_id", how="left")
        .with_columns(
            pl.coalesce("task_errors", "dag_errors", pl.lit(failed["error"].implode())).alias("errors"),
        )
    )
    pick = np.floor(rng.random(joined.height) * joined["errors"].list.len().to_numpy()).astype("int64")
    chosen = pl.col("errors").list.get(pl.Series("pick", pick), null_on_oob=True)
    is_failed = pl.col("state").is_in(FAILED_STATES)
    return joined.with_columns(
        pl.when(is_failed).then(chosen.struct.field(c)).alias(c) for c in ("error_class", "error_message", "log_tail")
    )

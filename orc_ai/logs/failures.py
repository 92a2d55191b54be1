"""Failure categories of task tries: the failed tries of ``airflow_task_runs`` clustered by their error text.

Each failed try's message is ``<error_class>: <first line of error_message>``; a try without an error message
falls back to the last error-looking line of its ``log_tail`` (header stripped). A failed try with no error text
at all is not dropped: it lands in the category ``NO_ERROR_TEXT``. Ids derive from templates, so a re-run over the
same tries gives the same ids whatever the row order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from orc_ai import defaults
from orc_ai.logs.headers import strip_header
from orc_ai.logs.miner import ALGORITHM, MinerParams, cluster_messages
from orc_ai.logs.models import template_id
from orc_ai.taskruns.schema import TASK_RUNS_SCHEMA, TRY_KEY, conform_task_runs

FAILED_STATES = ("failed", "up_for_retry")
NO_ERROR_TEXT = "<no error text>"
_ERRORISH = re.compile(r"(?:Error|Exception|Traceback|FAILED|Failed|failed|Timeout|Killed)\b")
_KEY_DTYPE = pl.Struct({c: TASK_RUNS_SCHEMA[c] for c in TRY_KEY})
CATEGORIES_SCHEMA: dict[str, pl.DataType] = {
    "cluster_id": pl.String(),
    "template": pl.String(),
    "count": pl.Int64(),
    "error_class": pl.String(),
    "dag_ids": pl.List(pl.String()),
    "example_tries": pl.List(_KEY_DTYPE),
    "last_failed_at": pl.Datetime("us", "UTC"),
}
ASSIGNMENTS_SCHEMA: dict[str, pl.DataType] = {
    **{c: TASK_RUNS_SCHEMA[c] for c in TRY_KEY}, "cluster_id": pl.String(), "message": pl.String()}


@dataclass(frozen=True)
class FailureClusters:
    """Categories (one row per cluster), the per-try assignment, and the params/metrics to log with them."""

    categories: pl.DataFrame
    assignments: pl.DataFrame
    params: dict[str, object] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)


def failure_message(error_class: str | None, error_message: str | None, log_tail: str | None) -> str:
    """The one line a failed try is clustered by ('' when the try carries no error text)."""
    text = _first_line(error_message)
    if not text and log_tail:
        lines = [strip_header(line) for line in log_tail.splitlines() if line.strip()]
        errorish = [line for line in lines if _ERRORISH.search(line)]
        text = (errorish or lines or [""])[-1]
    named = re.split(r"[:\s(]", text, maxsplit=1)[0]  # ``stripe.error.RateLimitError: ...`` names its class
    if error_class and named != error_class and not named.endswith(f".{error_class}"):
        text = f"{error_class}: {text}" if text else error_class
    return text


def _first_line(text: str | None) -> str:
    return next((line.strip() for line in (text or "").splitlines() if line.strip()), "")


def cluster_failures(task_runs: pl.DataFrame, *, params: MinerParams | None = None,
                     max_examples: int = defaults.LOG_CLUSTER_EXAMPLES) -> FailureClusters:
    """Cluster the failed tries of ``task_runs`` (TASK_RUNS_SCHEMA; conformed first, so a frame lacking a key
    column raises ``ValueError``) into failure categories."""
    params = params or MinerParams()
    failed = conform_task_runs(task_runs).filter(pl.col("state").is_in(FAILED_STATES))
    messages = [failure_message(c, m, t) for c, m, t in
                failed.select("error_class", "error_message", "log_tail").iter_rows()]
    found = cluster_messages(messages, params)
    no_text = template_id(NO_ERROR_TEXT)
    templates = {**found.templates, **({no_text: NO_ERROR_TEXT} if None in found.clusters else {})}
    assignments = failed.select(list(TRY_KEY)).with_columns(
        pl.Series("cluster_id", [cid or no_text for cid in found.clusters], dtype=pl.String()),
        pl.Series("message", messages, dtype=pl.String()),
    )
    joined = failed.with_columns(assignments["cluster_id"])
    categories = (
        joined.group_by("cluster_id")
        .agg(
            pl.len().cast(pl.Int64).alias("count"),
            pl.col("error_class").drop_nulls().mode().sort().first().alias("error_class"),
            pl.col("dag_id").unique().sort().alias("dag_ids"),
            pl.struct(list(TRY_KEY)).head(max_examples).alias("example_tries"),
            pl.col("end_date").max().alias("last_failed_at"),
        )
        .with_columns(pl.col("cluster_id").replace_strict(templates, return_dtype=pl.String()).alias("template"))
        .sort(["count", "cluster_id"], descending=[True, False])
    )
    categories = categories.select(list(CATEGORIES_SCHEMA)).cast(CATEGORIES_SCHEMA)
    metrics = {
        "failed_tries": float(failed.height),
        "clusters": float(categories.height),
        "tries_without_error_text": float(sum(cid is None for cid in found.clusters)),
        "largest_cluster_share": float(categories["count"].max() / failed.height) if failed.height else 0.0,
    }
    return FailureClusters(
        categories=categories,
        assignments=assignments.cast(ASSIGNMENTS_SCHEMA),
        params={"algorithm": ALGORITHM, **params.model_dump(), "max_examples": max_examples},
        metrics=metrics,
    )


def failure_log_clusters(task_runs: pl.DataFrame, *, params: MinerParams | None = None,
                         max_examples: int = defaults.LOG_CLUSTER_EXAMPLES) -> pl.DataFrame:
    """One row per failure category of the failed tries (CATEGORIES_SCHEMA): id, template, count, examples."""
    return cluster_failures(task_runs, params=params, max_examples=max_examples).categories

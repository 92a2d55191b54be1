"""Gate on synthetic_task_runs: its SDMetrics quality against the real history."""

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults
from orc_ai.synthetic.synthesize import score_quality


class SyntheticQualityConfig(dg.Config):
    min_score: float = Field(
        default=defaults.SYNTHETIC_MIN_QUALITY, description="Least SDMetrics QualityReport overall score (0..1)."
    )


@dg.asset_check(asset="synthetic_task_runs", blocking=True, additional_ins={"airflow_task_runs": dg.AssetIn()})
def synthetic_task_runs_quality(
    config: SyntheticQualityConfig, synthetic_task_runs: pl.DataFrame, airflow_task_runs: pl.DataFrame
) -> dg.AssetCheckResult:
    """The synthetic tries score at least the configured SDMetrics quality (column shapes and pair trends) against
    the real tries, recomputed here from both tables."""
    quality = score_quality(airflow_task_runs, synthetic_task_runs)
    return dg.AssetCheckResult(
        passed=quality.overall >= config.min_score,
        metadata={**quality.model_dump(), "min_score": config.min_score, "real_tries": airflow_task_runs.height},
    )

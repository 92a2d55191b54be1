"""The forecast tables' contract: sound rows pass, each kind of breakage is named."""

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from orc_ai.forecast.quality import forecast_problems
from orc_ai.forecast.schema import FORECAST_SCHEMA

T0 = datetime(2026, 5, 1, tzinfo=UTC)


def _rates() -> pl.DataFrame:
    rows = [
        {"dag_id": "fx_rates_hourly", "task_id": task, "metric": "failure_rate", "forecast_at": T0,
         "forecast_for": T0 + timedelta(days=d), "horizon": f"{d}d", "predicted": 0.1, "lower": 0.0, "upper": 0.3,
         "threshold": 0.2, "at_risk": True, "risk": 0.6, "method": "prophet", "model_name": "m", "model_version": "1"}
        for task in ("fetch_rates", "load_rates") for d in (1, 2)
    ]
    return pl.DataFrame(rows, schema=FORECAST_SCHEMA)


def test_sound_forecasts_pass() -> None:
    assert forecast_problems(_rates(), "failure_rate") == []
    assert forecast_problems(pl.DataFrame(schema=FORECAST_SCHEMA), "duration_s") == []


@pytest.mark.parametrize(
    ("spoil", "named"),
    [
        (lambda f: f.with_columns(pl.lit(float("nan")).alias("upper")), "non-finite"),
        (lambda f: f.with_columns(pl.lit(0.5).alias("lower")), "lower <= predicted <= upper fails"),
        (lambda f: f.with_columns(pl.lit(1.5).alias("upper")), "outside [0, 1]"),
        (lambda f: pl.concat([f, f.head(1)]), "repeat a series and target"),
        (lambda f: f.with_columns(pl.lit("duration_s").alias("metric")), "another metric"),
        (lambda f: f.drop("risk"), "schema differs"),
    ],
)
def test_each_breakage_is_named(spoil, named) -> None:
    problems = forecast_problems(spoil(_rates()), "failure_rate")
    assert any(named in p for p in problems), problems

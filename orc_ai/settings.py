"""Paths and defaults shared by every package; reads environment variables, never Dagster."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from orc_ai import defaults
from orc_ai.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS_DIR = Path(__file__).resolve().parent / "sample_corpus"


def orc_home() -> Path:
    """Folder for all state and outputs: ``$ORC_AI_HOME``, default ``<repo>/.orc_ai_home``."""
    return Path(os.environ.get("ORC_AI_HOME") or REPO_ROOT / ".orc_ai_home").resolve()


def docs_dir() -> Path:
    """Input folder: ``$ORC_AI_DOCS_DIR``, default the bundled sample corpus."""
    return Path(os.environ.get("ORC_AI_DOCS_DIR") or BUNDLED_CORPUS_DIR).resolve()


def asset_dir(home: Path | None = None) -> Path:
    """Where the IO manager writes each asset's parquet/json output."""
    return (home or orc_home()) / "assets"


def cache_dir(home: Path | None = None) -> Path:
    """Content-hash caches (chunk spans, extractions, embeddings)."""
    return (home or orc_home()) / "cache"


def graph_dir(home: Path | None = None) -> Path:
    """Files of the embedded graph store."""
    return (home or orc_home()) / "graph"


def inbox_dir(home: Path | None = None) -> Path:
    """User questions for the agent: one file each (``orc-ai events add`` writes them)."""
    return (home or orc_home()) / "inbox"


def reports_dir(home: Path | None = None) -> Path:
    """Rendered reports: one folder per report content and ``latest/``."""
    return (home or orc_home()) / "reports"


class AirflowSensorSettings(BaseModel):
    """airflow_metadata_sensor's knobs, each from an environment variable (the README's table), default in
    ``defaults``."""

    model_config = ConfigDict(frozen=True, allow_inf_nan=False)

    interval_s: int = Field(
        default=defaults.AIRFLOW_SENSOR_INTERVAL_S, ge=1, description="ORC_AI_AIRFLOW_SENSOR_INTERVAL_S."
    )
    page_size: int = Field(default=defaults.AIRFLOW_PAGE_SIZE, ge=1, le=1000, description="ORC_AI_AIRFLOW_PAGE_SIZE.")
    budget_s: float = Field(default=defaults.AIRFLOW_SYNC_BUDGET_S, ge=0, description="ORC_AI_AIRFLOW_SYNC_BUDGET_S.")
    overlap_s: float = Field(
        default=defaults.AIRFLOW_SYNC_OVERLAP_S, ge=0, description="ORC_AI_AIRFLOW_SYNC_OVERLAP_S."
    )


AIRFLOW_SENSOR_ENV = {
    "interval_s": "ORC_AI_AIRFLOW_SENSOR_INTERVAL_S",
    "page_size": "ORC_AI_AIRFLOW_PAGE_SIZE",
    "budget_s": "ORC_AI_AIRFLOW_SYNC_BUDGET_S",
    "overlap_s": "ORC_AI_AIRFLOW_SYNC_OVERLAP_S",
}


def airflow_sensor_settings(**overrides: float) -> AirflowSensorSettings:
    """The sensor's knobs: ``overrides``, else the environment (unset or empty: the default). A bad value raises
    ``ConfigError`` naming its variable and what it accepts."""
    given = {field: raw.strip() for field, name in AIRFLOW_SENSOR_ENV.items() if (raw := os.environ.get(name, ""))}
    given |= overrides
    try:
        return AirflowSensorSettings(**given)
    except ValidationError as exc:
        problems = "; ".join(
            f"{AIRFLOW_SENSOR_ENV.get(str(e['loc'][0]), e['loc'][0])}={given.get(str(e['loc'][0]))!r}: {e['msg']}"
            for e in exc.errors()
        )
        raise ConfigError(f"invalid Airflow sensor setting: {problems}") from None

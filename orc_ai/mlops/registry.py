"""Log a model run (params, metrics, plots, model files) and register it as a model version, then apply the
promotion rule. Every call names its run id; nothing uses MLflow's fluent active run."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from orc_ai import defaults
from orc_ai.errors import ConfigError
from orc_ai.mlops.promotion import METRIC_TAG, champion_version, promote_if_better
from orc_ai.mlops.records import ModelRun, Promotion, RegisteredRun
from orc_ai.mlops.tracking import ensure_experiment

if TYPE_CHECKING:
    from mlflow.tracking import MlflowClient

INPUT_HASH_TAG = "orc_ai.input_hash"
_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,200}$")


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ConfigError(f"registered model name {name!r} must match {_NAME.pattern}")
    return name


def find_version(client: MlflowClient, name: str, input_hash: str):
    """The newest version of ``name`` registered from the same inputs, or None."""
    versions = client.search_model_versions(f"name = '{_check_name(name)}'")
    same = [v for v in versions if (v.tags or {}).get(INPUT_HASH_TAG) == input_hash]
    return max(same, key=lambda v: int(v.version)) if same else None


def _log_run(client: MlflowClient, record: ModelRun, artifact_root: str | None) -> str:
    from mlflow.entities import Metric, Param, RunTag

    experiment_id = ensure_experiment(client, record.experiment, artifact_root)
    run = client.create_run(experiment_id, tags={**record.tags, INPUT_HASH_TAG: record.input_hash})
    run_id = run.info.run_id
    try:
        metrics = [Metric(k, float(v), 0, 0) for k, v in sorted(record.metrics.items()) if not math.isnan(v)]
        params = [Param(k, str(v)) for k, v in sorted(record.params.items())]
        client.log_batch(run_id, metrics=metrics, params=params, tags=[RunTag("orc_ai.model_name", record.model_name)])
        client.log_artifacts(run_id, str(record.model_dir), "model")
        for figure in record.figures:
            client.log_artifact(run_id, str(figure), "plots")
        for extra in record.extra_artifacts:
            client.log_artifact(run_id, str(extra), "data")
    except Exception:
        client.set_terminated(run_id, "FAILED")
        raise
    client.set_terminated(run_id, "FINISHED")
    return run_id


def _ensure_registered_model(client: MlflowClient, name: str) -> None:
    from mlflow.exceptions import MlflowException

    try:
        client.get_registered_model(name)
    except MlflowException:
        client.create_registered_model(name)


def log_and_register(client: MlflowClient, record: ModelRun, *, artifact_root: str | None) -> RegisteredRun:
    """Log ``record`` as a run, register its ``model/`` folder as a new version of ``record.model_name`` and
    promote it if it beats the champion. Inputs already registered (same input hash) reuse that version."""
    name = _check_name(record.model_name)
    existing = find_version(client, name, record.input_hash)
    if existing is not None:
        champion = champion_version(client, name)
        tags = existing.tags or {}
        promotion = Promotion(
            promoted=tags.get("promotion.promoted") == "true",
            version=str(existing.version),
            value=float(tags.get(METRIC_TAG.format(record.promotion_metric), "nan")),
            reason=tags.get("promotion", "reused"),
        )
        return RegisteredRun(
            run_id=existing.run_id,
            model_name=name,
            version=str(existing.version),
            champion_version=str(champion.version) if champion else None,
            promotion=promotion,
            reused=True,
        )
    run_id = _log_run(client, record, artifact_root)
    _ensure_registered_model(client, name)
    value = float(record.metrics.get(record.promotion_metric, float("nan")))
    version = client.create_model_version(
        name,
        f"{client.get_run(run_id).info.artifact_uri}/model",
        run_id=run_id,
        tags={INPUT_HASH_TAG: record.input_hash, METRIC_TAG.format(record.promotion_metric): repr(value)},
    )
    promotion = promote_if_better(
        client, name, str(version.version), record.promotion_metric, value, greater_is_better=record.greater_is_better
    )
    champion = champion_version(client, name, defaults.MLFLOW_CHAMPION_ALIAS)
    return RegisteredRun(
        run_id=run_id,
        model_name=name,
        version=str(version.version),
        champion_version=str(champion.version) if champion else None,
        promotion=promotion,
    )

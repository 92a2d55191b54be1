"""One call for the operations assets whose model is a few files: log and register it in MLflow, and the
metadata a materialisation shows about the version."""

from collections.abc import Mapping
from typing import Any

import dagster as dg

from orc_ai import defaults
from orc_ai.mlops.records import RegisteredRun
from orc_ai.mlops.table_models import register_table_model
from orc_ai.resources.mlflow import MlflowResource


def register_model_version(
    asset: str, mlflow: MlflowResource, params: Mapping[str, Any], metrics: Mapping[str, float],
    files: Mapping[str, str], figures: Mapping[str, bytes] | None = None,
) -> dict[str, Any]:
    """Register ``asset``'s fit (promotion on ``defaults.COVERAGE_PROMOTION_METRICS``) with its ``figures``
    (PNG name -> bytes, logged under ``plots/``); metadata about it."""
    registered: RegisteredRun = register_table_model(
        mlflow.client(), model_name=defaults.REGISTERED_MODELS[asset], experiment=mlflow.experiment,
        artifact_root=mlflow.resolved_artifact_root(), params=params, metrics=metrics, files=files,
        promotion_metric=defaults.COVERAGE_PROMOTION_METRICS[asset], greater_is_better=True, figures=figures,
    )
    return {
        "mlflow_run_id": registered.run_id,
        "model_name": registered.model_name,
        "model_version": registered.version,
        "champion_version": registered.champion_version or "",
        "promotion": dg.MetadataValue.text(registered.promotion.reason),
    }

"""The promotion rule: a new version takes the ``champion`` alias only if its backtest metric beats the
champion's (strictly; lower is better unless the model says otherwise). The verdict, with both figures, is tagged
on the new version either way."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from orc_ai import defaults
from orc_ai.mlops.records import Promotion

if TYPE_CHECKING:
    from mlflow.tracking import MlflowClient

METRIC_TAG = "metric.{}"  # the promotion metric's value, tagged on each version at registration


def champion_version(client: MlflowClient, name: str, alias: str = defaults.MLFLOW_CHAMPION_ALIAS):
    """The version holding ``alias``, or None."""
    from mlflow.exceptions import MlflowException
    from mlflow.protos.databricks_pb2 import RESOURCE_DOES_NOT_EXIST, ErrorCode

    try:
        return client.get_model_version_by_alias(name, alias)
    except MlflowException as exc:
        if exc.error_code == ErrorCode.Name(RESOURCE_DOES_NOT_EXIST) or "not found" in str(exc).lower():
            return None
        raise


def _tagged_value(version, metric: str) -> float | None:
    raw = (version.tags or {}).get(METRIC_TAG.format(metric))
    return float(raw) if raw is not None else None


def decide(value: float, champion_value: float | None, *, greater_is_better: bool) -> bool:
    """Whether ``value`` beats ``champion_value`` (no champion: yes; a NaN value: never)."""
    if math.isnan(value):
        return False
    if champion_value is None or math.isnan(champion_value):
        return True
    return value > champion_value if greater_is_better else value < champion_value


def promote_if_better(
    client: MlflowClient,
    name: str,
    version: str,
    metric: str,
    value: float,
    *,
    greater_is_better: bool = False,
    alias: str = defaults.MLFLOW_CHAMPION_ALIAS,
) -> Promotion:
    """Apply the rule to ``version`` of ``name``; move ``alias`` when it wins; tag the verdict."""
    current = champion_version(client, name, alias)
    champion_value = _tagged_value(current, metric) if current is not None else None
    won = decide(value, champion_value, greater_is_better=greater_is_better)
    if current is None:
        reason = f"promoted: no {alias} yet ({metric} {value:.6g})"
    else:
        verdict = f"promoted over v{current.version}" if won else f"v{current.version} kept"
        side = "beats" if won else "does not beat"
        reason = f"{verdict}: {metric} {value:.6g} {side} {champion_value:.6g} of v{current.version}"
    if won:
        client.set_registered_model_alias(name, alias, version)
    tags = {
        "promotion": reason,
        "promotion.promoted": str(won).lower(),
        "promotion.metric": metric,
        "promotion.value": repr(value),
        "promotion.champion_version": str(current.version) if current is not None else "",
        "promotion.champion_value": repr(champion_value) if champion_value is not None else "",
    }
    for key, tag in tags.items():
        client.set_model_version_tag(name, version, key, tag)
    return Promotion(
        promoted=won,
        version=str(version),
        value=value,
        reason=reason,
        champion_version=str(current.version) if current is not None else None,
        champion_value=champion_value,
    )

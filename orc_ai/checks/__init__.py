"""Asset checks: data-quality gates, one property each, thresholds in check config."""

from typing import Any

import dagster as dg


def latest_metadata(context: dg.AssetCheckExecutionContext, asset: str) -> dict[str, Any]:
    """Plain metadata values of the asset's latest materialisation (in a run: the one just made)."""
    event = context.instance.get_latest_materialization_event(dg.AssetKey(asset))
    if event is None or event.asset_materialization is None:
        return {}
    return {k: getattr(v, "value", v) for k, v in event.asset_materialization.metadata.items()}

"""Register a fit whose model is a few files (templates, detector settings, synthesizer settings) as an MLflow
model version, through the same log-and-promote path as the forecasts."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orc_ai.hashing import stable_hash
from orc_ai.mlops.records import ModelRun, RegisteredRun
from orc_ai.mlops.registry import log_and_register

if TYPE_CHECKING:
    from mlflow.tracking import MlflowClient


def _plain(params: Mapping[str, Any]) -> dict[str, str | int | float | bool]:
    return {k: v if isinstance(v, (str, int, float, bool)) else json.dumps(v, default=str) for k, v in params.items()
            if v is not None}


def register_table_model(
    client: MlflowClient,
    *,
    model_name: str,
    experiment: str,
    artifact_root: str | None,
    params: Mapping[str, Any],
    metrics: Mapping[str, float],
    files: Mapping[str, str],
    promotion_metric: str,
    greater_is_better: bool,
    figures: Mapping[str, bytes] | None = None,
) -> RegisteredRun:
    """Log ``params``/``metrics``, ``files`` (name -> text, plus a manifest) and ``figures`` (PNG name -> bytes,
    under ``plots/``) as a run, register them as a version of ``model_name`` and apply the promotion rule. The
    same params, files and figure names reuse their version."""
    figures = dict(figures or {})
    manifest = {"model_name": model_name, "params": _plain(params), "files": sorted(files)}
    if figures:  # a version logged before its model had plots is not reused for one with them
        manifest["figures"] = sorted(figures)
    digest = stable_hash(json.dumps(manifest, sort_keys=True), *(f"{k}\x00{files[k]}" for k in sorted(files)))
    with tempfile.TemporaryDirectory(prefix="orc_ai_model_") as folder:
        root, plots = Path(folder) / "model", Path(folder) / "plots"
        root.mkdir()
        plots.mkdir()
        (root / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        for name, text in files.items():
            (root / name).write_text(text)
        for name, png in figures.items():
            (plots / name).write_bytes(png)
        record = ModelRun(
            figures=[plots / name for name in sorted(figures)], model_name=model_name, experiment=experiment,
            params=_plain(params),
            metrics={k: float(v) for k, v in metrics.items()}, model_dir=root, promotion_metric=promotion_metric,
            greater_is_better=greater_is_better, input_hash=digest,
        )
        return log_and_register(client, record, artifact_root=artifact_root)

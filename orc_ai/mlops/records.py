"""What a model run logs and what registering it returned: records shared by every model ORC AI registers."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field


class ModelRun(BaseModel):
    """One model fit to log and register. ``model_dir`` is logged as the version's artifact (``model/``);
    ``figures`` are image files logged under ``plots/``; ``input_hash`` identifies the data and settings: a
    version with the same hash is reused rather than registered again."""

    model_name: str = Field(description="Registered model name (defaults.REGISTERED_MODELS).")
    experiment: str = Field(description="MLflow experiment the run goes to.")
    params: dict[str, str | int | float | bool] = Field(default_factory=dict)
    metrics: dict[str, float] = Field(default_factory=dict, description="NaN metrics are skipped.")
    tags: dict[str, str] = Field(default_factory=dict)
    model_dir: Path = Field(description="Folder with the model files and a manifest.")
    figures: list[Path] = Field(default_factory=list)
    extra_artifacts: list[Path] = Field(default_factory=list, description="Files logged under data/.")
    promotion_metric: str = Field(description="Metric in ``metrics`` the promotion rule compares.")
    greater_is_better: bool = Field(default=False)
    input_hash: str = Field(description="Hash of the inputs and settings behind this fit.")


class Promotion(BaseModel):
    """The promotion rule's verdict for one version (also written as the version's ``promotion`` tag)."""

    promoted: bool
    version: str
    value: float
    champion_version: str | None = None
    champion_value: float | None = None
    reason: str


class RegisteredRun(BaseModel):
    """The MLflow run and registered model version of a fit, and the promotion verdict."""

    run_id: str
    model_name: str
    version: str
    champion_version: str | None
    promotion: Promotion
    reused: bool = Field(default=False, description="An existing version had the same input hash.")

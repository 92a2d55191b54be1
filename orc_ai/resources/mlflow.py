"""MLflow: tracking and model registry under a configurable URI (default SQLite under ORC_AI_HOME)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
from pydantic import Field, PrivateAttr

from orc_ai import defaults
from orc_ai.errors import ConfigError
from orc_ai.mlops.tracking import default_artifact_root, default_tracking_uri, open_client

if TYPE_CHECKING:
    from mlflow.tracking import MlflowClient


class MlflowResource(dg.ConfigurableResource):
    """``ORC_AI_MLFLOW_TRACKING_URI`` or ``sqlite:///<home>/mlflow/mlflow.db``; artifacts under
    ``<home>/mlflow/artifacts`` unless the tracking URI is an MLflow server (which keeps its own)."""

    home: str = Field(description="ORC AI state folder ($ORC_AI_HOME); holds the default store.")  # type: ignore[assignment]
    tracking_uri: str | None = Field(default=None, description="MLflow tracking URI; None: SQLite under home.")
    registry_uri: str | None = Field(default=None, description="Model registry URI; None: the tracking URI.")
    artifact_root: str | None = Field(
        default=None, description="Artifact root for new experiments; None: <home>/mlflow/artifacts (local stores)."
    )
    experiment: str = Field(default=defaults.MLFLOW_EXPERIMENT, description="Experiment runs are logged to.")

    _client: MlflowClient | None = PrivateAttr(default=None)

    def resolved_tracking_uri(self) -> str:
        return self.tracking_uri or default_tracking_uri(Path(self.home))

    def resolved_artifact_root(self) -> str | None:
        """Where new experiments keep artifacts; None lets an MLflow server decide."""
        if self.artifact_root:
            return self.artifact_root
        if self.resolved_tracking_uri().startswith(("http://", "https://", "databricks")):
            return None
        return default_artifact_root(Path(self.home))

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # the client opens its store lazily, on the first call
        self._client = open_client(self.resolved_tracking_uri(), self.registry_uri)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        self._client = None

    def client(self) -> MlflowClient:
        """The run's client (explicit run ids only)."""
        if self._client is None:
            raise ConfigError("the mlflow resource was not set up: use it inside a run or dg.build_resources")
        return self._client

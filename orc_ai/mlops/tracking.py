"""Where MLflow keeps runs and artifacts: a tracking URI (default SQLite under ``ORC_AI_HOME``) and a client."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from orc_ai import settings

if TYPE_CHECKING:
    from mlflow.tracking import MlflowClient


def mlflow_dir(home: Path | None = None) -> Path:
    """``<home>/mlflow``: the default SQLite store and artifact root."""
    return (home or settings.orc_home()) / "mlflow"


def default_tracking_uri(home: Path | None = None) -> str:
    """``sqlite:///<home>/mlflow/mlflow.db`` (the folder is created)."""
    folder = mlflow_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'mlflow.db'}"


def default_artifact_root(home: Path | None = None) -> str:
    """``<home>/mlflow/artifacts`` as a file URI."""
    return (mlflow_dir(home) / "artifacts").as_uri()


def open_client(tracking_uri: str, registry_uri: str | None = None) -> MlflowClient:
    """A client for ``tracking_uri`` (the registry defaults to the same store)."""
    from mlflow.tracking import MlflowClient

    return MlflowClient(tracking_uri=tracking_uri, registry_uri=registry_uri or tracking_uri)


def ensure_experiment(client: MlflowClient, name: str, artifact_root: str | None) -> str:
    """The id of experiment ``name``, created with artifacts under ``<artifact_root>/<name>`` when new.
    Without an artifact root the server's default applies (a remote tracking server)."""
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    location = f"{artifact_root.rstrip('/')}/{name}" if artifact_root else None
    return client.create_experiment(name, artifact_location=location)

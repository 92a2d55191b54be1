"""MLflow in a temporary SQLite store: a logged run, its registered version, and the promotion rule."""

from pathlib import Path

import dagster as dg
import pytest

from orc_ai.mlops.promotion import champion_version
from orc_ai.mlops.records import ModelRun
from orc_ai.mlops.registry import log_and_register
from orc_ai.mlops.tracking import default_artifact_root, default_tracking_uri, open_client

pytestmark = pytest.mark.slow  # creates an MLflow SQLite store (its migrations take seconds)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("home")
    return open_client(default_tracking_uri(home)), default_artifact_root(home), home


def _record(tmp: Path, name: str, wape: float, digest: str, **kw) -> ModelRun:
    model = tmp / f"model-{digest}"
    model.mkdir()
    (model / "manifest.json").write_text('{"series": []}')
    figure = tmp / f"plot-{digest}.png"
    figure.write_bytes(b"\x89PNG\r\n\x1a\n")
    return ModelRun(
        model_name=name,
        experiment="orc_ai_test",
        params={"horizon_days": 7},
        tags={"k": "v"},
        metrics={"backtest_wape": wape, "backtest_coverage": 0.8, "undefined": float("nan")},
        model_dir=model,
        figures=[figure],
        promotion_metric="backtest_wape",
        input_hash=digest,
        **kw,
    )


def test_a_run_and_its_registered_version_exist_in_the_store(store, tmp_path):
    client, artifacts, home = store
    reg = log_and_register(client, _record(tmp_path, "m_exists", 0.3, "a"), artifact_root=artifacts)
    run = client.get_run(reg.run_id)
    assert run.info.status == "FINISHED"
    assert run.data.params["horizon_days"] == "7" and run.data.metrics["backtest_wape"] == 0.3
    assert "undefined" not in run.data.metrics and run.data.tags["k"] == "v"
    assert {a.path for a in client.list_artifacts(reg.run_id)} == {"model", "plots"}
    assert [a.path for a in client.list_artifacts(reg.run_id, "plots")] == ["plots/plot-a.png"]
    assert run.info.artifact_uri.startswith((home / "mlflow" / "artifacts").as_uri())
    version = client.get_model_version("m_exists", reg.version)
    assert version.run_id == reg.run_id and version.source.endswith("/model")
    assert reg.version == "1" and reg.champion_version == "1" and reg.promotion.promoted


def test_a_better_version_is_promoted_and_a_worse_one_is_not(store, tmp_path):
    client, artifacts, _ = store
    first = log_and_register(client, _record(tmp_path, "m_promo", 0.30, "p1"), artifact_root=artifacts)
    better = log_and_register(client, _record(tmp_path, "m_promo", 0.20, "p2"), artifact_root=artifacts)
    assert better.promotion.promoted and str(champion_version(client, "m_promo").version) == better.version
    worse = log_and_register(client, _record(tmp_path, "m_promo", 0.25, "p3"), artifact_root=artifacts)
    assert not worse.promotion.promoted
    assert str(champion_version(client, "m_promo").version) == better.version == worse.champion_version
    tags = client.get_model_version("m_promo", worse.version).tags
    assert tags["promotion.promoted"] == "false"
    assert (float(tags["promotion.value"]), float(tags["promotion.champion_value"])) == (0.25, 0.20)
    assert tags["promotion.champion_version"] == better.version
    assert "does not beat" in tags["promotion"]
    assert first.version == "1" and worse.version == "3"


def test_greater_is_better_and_the_same_inputs_reuse_their_version(store, tmp_path):
    client, artifacts, _ = store
    one = log_and_register(
        client, _record(tmp_path, "m_score", 0.5, "s1", greater_is_better=True), artifact_root=artifacts
    )
    two = log_and_register(
        client, _record(tmp_path, "m_score", 0.6, "s2", greater_is_better=True), artifact_root=artifacts
    )
    assert two.promotion.promoted and two.champion_version == two.version != one.version
    (tmp_path / "again").mkdir()
    record = _record(tmp_path / "again", "m_score", 0.6, "s2", greater_is_better=True)
    again = log_and_register(client, record, artifact_root=artifacts)
    assert again.reused and again.version == two.version and again.run_id == two.run_id
    assert len(client.search_model_versions("name = 'm_score'")) == 2


def test_the_resource_defaults_to_sqlite_under_the_home(tmp_path):
    from orc_ai.resources.mlflow import MlflowResource

    resource = MlflowResource(home=str(tmp_path))
    assert resource.resolved_tracking_uri() == f"sqlite:///{tmp_path / 'mlflow' / 'mlflow.db'}"
    assert resource.resolved_artifact_root() == (tmp_path / "mlflow" / "artifacts").as_uri()
    remote = MlflowResource(home=str(tmp_path), tracking_uri="http://127.0.0.1:5000")
    assert remote.resolved_artifact_root() is None
    with dg.build_resources({"mlflow": resource}) as opened:
        assert opened.mlflow.client().tracking_uri == resource.resolved_tracking_uri()

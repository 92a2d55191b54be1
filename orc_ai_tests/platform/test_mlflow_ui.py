"""The MLflow UI as a person reviews experiments, in headless Chromium: ``mlflow server`` on loopback over a
SQLite store in a temp folder, model versions registered through the assets' own helper
(orc_ai.assets.model_versions), then the experiment list shows the orc_ai experiment and the Models pages list
every registered model with its versions. One screenshot per step under $ORC_AI_TEST_ARTIFACTS/mlflow_ui."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import httpx
import pytest

from orc_ai import defaults
from orc_ai.assets.model_versions import register_model_version
from orc_ai.resources.mlflow import MlflowResource
from orc_ai_tests.browser import artifacts_dir, headless_chromium, require_chromium
from orc_ai_tests.neo4j_server import free_port
from orc_ai_tests.processes import stop_group

pytestmark = pytest.mark.slow  # an MLflow server (SQLite migrations) and Chromium

CHAMPION_XPATH = (f"//*[text()[normalize-space(.)='@ {defaults.MLFLOW_CHAMPION_ALIAS}' or "
                  f"normalize-space(.)='{defaults.MLFLOW_CHAMPION_ALIAS}']]")
PROMO = "with the new Model Registry UI"
NO_TELEMETRY = {"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"}


class MlflowServer:
    """``mlflow server`` on a free loopback port: SQLite tracking and registry store, artifacts served by it."""

    def __init__(self, root: Path):
        self.root, self.port = root, free_port()
        self.log_path = root / "mlflow_server.log"
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 600) -> None:  # the server's imports take minutes on a loaded machine
        args = [str(Path(sys.executable).parent / "mlflow"), "server", "--host", "127.0.0.1", "--port", str(self.port),
                "--workers", "1", "--backend-store-uri", f"sqlite:///{self.root / 'mlflow.db'}",
                "--artifacts-destination", (self.root / "artifacts").as_uri()]
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, cwd=self.root, stdout=log, stderr=subprocess.STDOUT,
                                     env={**os.environ, **NO_TELEMETRY}, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.url}/health", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"mlflow server did not start:\n{self.log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)

    def stop(self) -> None:
        stop_group(self.proc, 10)


def _register(server: MlflowServer, home: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Two fits of the failure-log clusters (the second better: promoted) and one of the run anomalies, through
    the helper the assets call; registered model name -> versions, and the runs' names."""
    fits = [
        ("failure_log_clusters", {"sim_th": 0.4, "depth": 4}, {"categorised_share": 0.6},
         {"templates.json": json.dumps([{"cluster_id": 1, "template": "Connection to <*> refused", "count": 3}])}),
        ("failure_log_clusters", {"sim_th": 0.5, "depth": 4}, {"categorised_share": 0.9},
         {"templates.json": json.dumps([{"cluster_id": 1, "template": "Timeout after <*> s", "count": 5}])}),
        ("run_anomalies", {"window": 5, "z": 3.0}, {"scored_share": 1.0},
         {"detector.json": json.dumps({"method": "rolling_z", "window": 5})}),
    ]
    versions: dict[str, list[str]] = {}
    runs = []
    with dg.build_resources({"mlflow": MlflowResource(home=str(home), tracking_uri=server.url)}) as resources:
        for asset, params, metrics, files in fits:
            meta = register_model_version(asset, resources.mlflow, params, metrics, files)
            versions.setdefault(meta["model_name"], []).append(meta["model_version"])
            runs.append(resources.mlflow.client().get_run(meta["mlflow_run_id"]).info.run_name)
    return versions, runs


@pytest.fixture(scope="module")
def mlflow_ui(tmp_path_factory: pytest.TempPathFactory):
    require_chromium()
    root = tmp_path_factory.mktemp("mlflow_ui")
    server = MlflowServer(root)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in NO_TELEMETRY.items():
            patch.setenv(name, value)
        try:
            server.start()
        except RuntimeError as exc:
            pytest.fail(str(exc))
        try:
            versions, runs = _register(server, root / "orc_home")
            with headless_chromium(root / "chromium", artifacts_dir("mlflow_ui")) as browser:
                yield server, browser, versions, runs
        finally:
            server.stop()


def test_the_registered_versions_are_the_ones_the_helper_reported(mlflow_ui) -> None:
    _, _, versions, runs = mlflow_ui
    assert len(set(runs)) == 3
    names = defaults.REGISTERED_MODELS
    assert versions == {names["failure_log_clusters"]: ["1", "2"], names["run_anomalies"]: ["1"]}


def test_the_experiment_list_shows_the_orc_ai_experiment(mlflow_ui) -> None:
    server, browser, _, runs = mlflow_ui
    browser.open(f"{server.url}/#/experiments")
    browser.wait_for_text(defaults.MLFLOW_EXPERIMENT)
    browser.screenshot("experiment list")
    browser.wait_for_text("Model training").click()  # MLflow 3 opens experiments in its GenAI (traces) view
    browser.click_role("link", defaults.MLFLOW_EXPERIMENT)
    for run in runs:  # the experiment's page lists the three registered fits' runs
        browser.wait_for_text(run)
    browser.screenshot("orc_ai experiment runs")


def test_the_models_page_lists_every_registered_model_and_its_versions(mlflow_ui) -> None:
    server, browser, versions, _ = mlflow_ui
    browser.open(f"{server.url}/#/models")
    for name in versions:
        browser.wait_for_text(name)
    # the first visit of the registry opens a "new Model Registry UI" announcement: close it as a user would
    browser.wait_for_text(PROMO, exact=False)
    browser.screenshot("registered models with the registry announcement")
    close = "//*[@role='dialog']//button[@aria-label='Close']"  # the dialog's own, not the assistant panel's
    browser.wait(lambda d: next(iter(browser.visible(close)), None), "the announcement's close button").click()
    browser.wait_gone(PROMO)
    browser.screenshot("registered models")
    for name, numbers in versions.items():
        browser.click_role("link", name)  # through the list, as a user goes (a bare #/ route change from one
        # model's page to another's showed the second without its versions)
        browser.wait(lambda d, n=name: d.current_url.endswith(f"/models/{n}"), f"the page of {name}")
        for number in numbers:
            browser.wait_for_text(f"Version {number}")
        # the Aliases column shows "@ champion" on the promoted version
        browser.wait(lambda d: browser.visible(CHAMPION_XPATH), f"the {defaults.MLFLOW_CHAMPION_ALIAS} alias")
        browser.screenshot(f"model {name} versions")
        browser.driver.back()
        browser.wait_for_text("Registered Models")

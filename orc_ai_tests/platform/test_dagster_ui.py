"""The Dagster UI as a person uses it, in headless Chromium: the repo's workspace.yaml code location served by
``dagster api grpc`` and loaded by dagster-webserver through a ``grpc_server:`` workspace entry. First visit
(community dialog skipped), the asset graph from raw_docs to reports, a materialisation launched with the
Materialize button and its checks passing, and the sensors running. One screenshot per step under
$ORC_AI_TEST_ARTIFACTS/dagster_ui (default test-artifacts/)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from orc_ai.settings import BUNDLED_CORPUS_DIR
from orc_ai_tests.browser import Browser, artifacts_dir, headless_chromium, require_chromium
from orc_ai_tests.dagster_grpc import GrpcCodeServer, GrpcWorkspaceWebserver, workspace_origin, write_instance
from orc_ai_tests.neo4j_server import free_port

pytestmark = pytest.mark.slow  # a code server, a webserver and Chromium (the run loads the definitions again)

NUX = "Join the Dagster community"
RUN_TIMEOUT_S = 900  # the run worker imports the whole code location: over 10 min seen on a loaded 2-core machine
ASSET_NODES = "{ assetNodes { assetKey { path } dependencyKeys { path } } }"
RUNS = "{ runsOrError { ... on Runs { results { runId status assetSelection { path } } } } }"
CHECKS = """query C($key: AssetKeyInput!) { assetNodeOrError(assetKey: $key) { ... on AssetNode {
  assetChecksOrError { ... on AssetChecks { checks { name executionForLatestMaterialization { status } } } } } } }"""
WORKSPACE = """{ workspaceOrError { ... on Workspace {
  locationEntries { name loadStatus displayMetadata { key value } } } } }"""
ZOOM_OUT = "//button[.//*[@role='img' and @aria-label='zoom_out']]"
SENSORS = """query S($location: String!) { sensorsOrError(repositorySelector: {repositoryName: "__repository__",
  repositoryLocationName: $location}) { ... on Sensors { results { name sensorState { status } } } } }"""


class DagsterUI:
    """The servers, the browser and what the first visit showed."""

    def __init__(self, web: GrpcWorkspaceWebserver, browser: Browser, dagster_home: Path):
        self.web, self.browser, self.dagster_home = web, browser, dagster_home
        self.nux_seen = False

    def go(self, path: str) -> Browser:
        self.browser.open(self.web.base_url + path)
        return self.browser


@pytest.fixture(scope="module")
def ui(tmp_path_factory: pytest.TempPathFactory) -> DagsterUI:
    require_chromium()
    root = tmp_path_factory.mktemp("dagster_ui")
    docs = root / "docs"
    docs.mkdir()
    for doc in sorted((BUNDLED_CORPUS_DIR / "runbooks").glob("*.md"))[:2]:  # the smallest real input
        shutil.copy(doc, docs / doc.name)
    home = root / "dagster_home"
    write_instance(home)
    env = {
        **os.environ, "DAGSTER_HOME": str(home), "ORC_AI_HOME": str(root / "orc_home"), "ORC_AI_DOCS_DIR": str(docs),
        # configured as a deployment would be, so the Airflow sensor is on by default too; no daemon ticks it
        "ORC_AI_AIRFLOW_URL": f"http://127.0.0.1:{free_port()}",
        # a one-machine deployment's executor: the launched run loads the code location once, not once per step
        "ORC_AI_EXECUTOR": "in_process",
    }
    code = GrpcCodeServer(workspace_origin(), env, root / "code_server.log")
    web = GrpcWorkspaceWebserver(code, home, root / "webserver.log")
    try:
        code.start(timeout=600)  # importing the code location takes minutes on a loaded 2-core machine
        web.start(timeout=600)
    except RuntimeError as exc:
        code.stop()
        pytest.fail(str(exc))
    try:
        with headless_chromium(root / "chromium", artifacts_dir("dagster_ui")) as browser:
            ui = DagsterUI(web, browser, home)
            _first_visit(ui)
            yield ui
    finally:
        web.stop()
        code.stop()


def _first_visit(ui: DagsterUI) -> None:
    """Open the UI and skip the community dialog as a user would (it opens about a second after load)."""
    browser = ui.go("/")
    try:
        browser.wait_for_text(NUX, timeout_s=30)
    except AssertionError:
        return
    ui.nux_seen = True
    browser.screenshot("first visit community dialog")
    browser.click_role("button", "Skip")
    browser.wait_gone(NUX)
    browser.screenshot("community dialog skipped")


def test_the_first_visit_community_dialog_is_skipped_for_good(ui: DagsterUI) -> None:
    assert ui.nux_seen, f"the {NUX!r} dialog did not open on the first visit"
    assert (ui.dagster_home / ".nux" / "nux.yaml").exists()  # Skip records it on the instance (setNuxSeen)
    assert ui.web.graphql("{ shouldShowNux }") == {"shouldShowNux": False}


def test_the_workspace_code_location_is_loaded_from_the_grpc_server(ui: DagsterUI) -> None:
    origin = workspace_origin()
    assert origin.loadable_target_origin.module_name == "orc_ai.definitions"
    (entry,) = ui.web.graphql(WORKSPACE)["workspaceOrError"]["locationEntries"]
    metadata = {m["key"]: m["value"] for m in entry["displayMetadata"]}
    assert entry["name"] == origin.location_name and entry["loadStatus"] == "LOADED"
    assert metadata["port"] == str(ui.web.code_server.port) and metadata["host"] == "127.0.0.1"


def _chain_stages(ui: DagsterUI) -> set[str]:
    """Every asset on a path from raw_docs to reports, from the server's own asset graph."""
    parents = {
        "/".join(n["assetKey"]["path"]): {"/".join(d["path"]) for d in n["dependencyKeys"]}
        for n in ui.web.graphql(ASSET_NODES)["assetNodes"]
    }
    children: dict[str, set[str]] = {}
    for key, ups in parents.items():
        for up in ups:
            children.setdefault(up, set()).add(key)

    def reach(start: str, edges: dict[str, set[str]]) -> set[str]:
        seen, todo = {start}, [start]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    return reach("raw_docs", children) & reach("reports", parents)


def _zoomed_out_until(browser: Browser, labels: set[str], every_s: float = 1.5):
    """A wait condition: every label shows as a node in the graph canvas (not the sidebar tree); until then the
    canvas's zoom-out button is pressed every ``every_s`` (the graph draws only the nodes in view)."""
    last = [0.0]

    def condition(_driver) -> bool:
        if all(browser.visible(f"//*[local-name()='svg']{browser.text_xpath(label)}") for label in labels):
            return True
        if time.monotonic() - last[0] > every_s:
            browser.wait(lambda d: next(iter(browser.visible(ZOOM_OUT)), None), "the zoom-out button").click()
            last[0] = time.monotonic()
        return False

    return condition


def test_the_asset_graph_shows_every_stage_from_raw_docs_to_reports(ui: DagsterUI) -> None:
    stages = _chain_stages(ui)
    assert {"raw_docs", "chunks", "entities", "embeddings", "neo4j_graph", "communities", "reports"} <= stages
    browser = ui.go("/asset-groups")
    browser.wait_for_text("Global asset lineage")
    browser.wait_for_text("knowledge_graph")
    browser.screenshot("asset lineage groups collapsed")
    # the graph's settings menu (the gear at the bottom right of the canvas) expands every group
    browser.wait(lambda d: browser.visible("//button[.//*[@role='img' and @aria-label='settings']]"
                                           "[normalize-space(.)='']"), "the graph settings button")[0].click()
    browser.wait_for_text("Expand all groups").click()
    browser.wait(lambda d: "expanded=" in d.current_url, "the expanded groups in the page address")
    ActionChains(browser.driver).send_keys(Keys.ESCAPE).perform()  # the menu covers the zoom buttons
    browser.wait_gone("Collapse all groups")
    browser.wait(_zoomed_out_until(browser, stages), f"graph nodes {sorted(stages)}")
    browser.screenshot("asset lineage expanded raw_docs to reports")


def test_materialize_from_the_asset_page_succeeds_and_its_checks_pass(ui: DagsterUI) -> None:
    assert ui.web.graphql(RUNS)["runsOrError"]["results"] == []
    browser = ui.go("/assets/raw_docs")
    browser.wait_for_text("Never materialized")
    browser.screenshot("raw_docs before materialize")
    browser.click_role("button", "Materialize")
    run = browser.wait(lambda d: next(iter(ui.web.graphql(RUNS)["runsOrError"]["results"]), None), "a launched run")
    assert {"path": ["raw_docs"]} in run["assetSelection"]

    def finished(_driver):
        (now,) = ui.web.graphql(RUNS)["runsOrError"]["results"]
        return now if now["status"] in {"SUCCESS", "FAILURE", "CANCELED"} else None

    done = browser.wait(finished, f"run {run['runId']} to finish", timeout_s=RUN_TIMEOUT_S)
    assert done["status"] == "SUCCESS", done
    browser = ui.go(f"/runs/{run['runId']}")
    browser.wait_for_text("Success")
    browser.screenshot("the run succeeded")
    checks = ui.web.graphql(CHECKS, {"key": {"path": ["raw_docs"]}})["assetNodeOrError"]["assetChecksOrError"]
    names = sorted(c["name"] for c in checks["checks"])
    assert names == ["raw_docs_quarantine_ratio", "raw_docs_text_quality"]
    assert {c["executionForLatestMaterialization"]["status"] for c in checks["checks"]} == {"SUCCEEDED"}
    browser = ui.go("/assets/raw_docs?view=checks")
    # each check's entry in the list shows its latest execution under its name; its page, the evaluation result
    browser.wait(lambda d: len(browser.visible(browser.text_xpath("Succeeded"))) == len(names), "checks succeeded")
    browser.screenshot("raw_docs checks succeeded")
    for name in names:
        browser.wait_for_text(name).click()
        browser.wait(lambda d, n=name: len(browser.visible(browser.text_xpath(n))) >= 2, f"{name}'s details")
        browser.wait_for_text("Passed")
        browser.screenshot(f"{name} passed")


def test_every_sensor_shows_as_running_on_the_automation_page(ui: DagsterUI) -> None:
    location = ui.web.code_server.location_name
    sensors = ui.web.graphql(SENSORS, {"location": location})["sensorsOrError"]["results"]
    names = sorted(s["name"] for s in sensors)
    assert "default_automation_condition_sensor" in names and len(names) >= 4
    assert {s["sensorState"]["status"] for s in sensors} == {"RUNNING"}
    browser = ui.go("/automation")
    for name in names:
        row = f"//a[contains(@href, '/sensors/{name}')]/ancestor::*[.//input[@type='checkbox']][1]"
        # a row's own selection box starts unticked: a ticked box in the row is its running switch
        browser.wait(lambda d, r=row: any(box.is_selected() for box in d.find_elements("xpath", f"{r}//input")),
                     f"{name}'s switch on")
    browser.screenshot("automation sensors running")

"""The Dagster client over a scripted transport: reads are retried, a launch never is; missing assets named."""

from __future__ import annotations

import json

import httpx
import pytest

from airflow_bridge.dagster_errors import DagsterAssetNotFoundError, DagsterUnavailableError
from airflow_bridge.dagster_graphql import LAUNCH_TAG, DagsterGraphQLClient

REPOSITORY = {"name": "__repository__", "location": {"name": "orc_ai"}}
NODES = {"assetNodes": [{"assetKey": {"path": ["raw_docs"]}, "isMaterializable": True, "repository": REPOSITORY}]}


class ScriptedDagster:
    """Answers assetNodes and runsOrError; launchRun times out after the run was created (a lost answer)."""

    def __init__(self, *, run_created: bool, read_failures: int = 0):
        self.run_created, self.read_failures = run_created, read_failures
        self.calls: list[str] = []
        self.launch_tags: dict[str, str] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        name = body["query"].split("(")[0].split()[-1]
        self.calls.append(name)
        if name == "OrcLaunchRun":
            tags = body["variables"]["executionParams"]["executionMetadata"]["tags"]
            self.launch_tags = {t["key"]: t["value"] for t in tags}
            raise httpx.ReadTimeout("timed out", request=request)
        if name == "OrcAssetNodes":
            if self.read_failures:
                self.read_failures -= 1
                return httpx.Response(503, text="busy")
            return httpx.Response(200, json={"data": NODES})
        assert name == "OrcRunsByTag"
        wanted = body["variables"]["filter"]["tags"]
        found = self.run_created and wanted == [{"key": LAUNCH_TAG, "value": self.launch_tags[LAUNCH_TAG]}]
        runs = [{"runId": "run-1", "status": "STARTED"}] if found else []
        return httpx.Response(200, json={"data": {"runsOrError": {"__typename": "Runs", "results": runs}}})


def client_over(server: ScriptedDagster) -> DagsterGraphQLClient:
    return DagsterGraphQLClient("http://dagster", backoff_s=0.0, transport=httpx.MockTransport(server))


def test_a_lost_launch_answer_finds_the_run_by_its_launch_id() -> None:
    server = ScriptedDagster(run_created=True, read_failures=2)
    with client_over(server) as client:
        assert client.launch_assets(["raw_docs"], tags={"a": "b"}) == "run-1"
    assert server.calls == ["OrcAssetNodes"] * 3 + ["OrcLaunchRun", "OrcRunsByTag"]  # 503 twice, then an answer
    assert server.launch_tags["a"] == "b"


def test_a_lost_launch_without_a_run_is_not_repeated() -> None:
    server = ScriptedDagster(run_created=False)
    with client_over(server) as client, pytest.raises(DagsterUnavailableError, match="did not answer"):
        client.launch_assets(["raw_docs"])
    assert server.calls.count("OrcLaunchRun") == 1


def test_undefined_and_source_assets_are_named_apart() -> None:
    source = {"assetKey": {"path": ["ops", "task_log"]}, "isMaterializable": False, "repository": REPOSITORY}
    nodes = {"assetNodes": NODES["assetNodes"] + [source]}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"data": nodes}))
    with DagsterGraphQLClient("http://dagster", transport=transport) as client:
        with pytest.raises(DagsterAssetNotFoundError) as caught:
            client.asset_repositories(["raw_docs", "nope", ["ops", "task_log"]])
    assert caught.value.missing == ["nope", "ops/task_log"]
    assert str(caught.value).startswith("asset(s) nope not defined; ops/task_log not materialisable (source assets)")

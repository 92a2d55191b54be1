"""The Dagster GraphQL client: its queries against Dagster 1.13's schema, and launch + wait against a real
dagster-webserver serving orc_ai.definitions."""

from __future__ import annotations

import dagster as dg
import graphql
import pytest
from dagster._core.instance.ref import InstanceRef
from dagster_graphql.schema import create_schema

from airflow_bridge import dagster_queries
from airflow_bridge.dagster_errors import (
    DagsterAssetNotFoundError,
    DagsterLaunchError,
    DagsterQueryError,
    DagsterRunFailedError,
    DagsterUnavailableError,
)
from airflow_bridge.dagster_graphql import DagsterGraphQLClient
from orc_ai_tests.dagster_server import DagsterWebserver
from orc_ai_tests.neo4j_server import free_port

IN_PROCESS = {"execution": {"config": {"in_process": {}}}}
INGEST = ["raw_docs", "quarantined_docs"]


def open_instance(server: DagsterWebserver) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(server.dagster_home)))


def test_every_query_is_valid_against_the_dagster_schema() -> None:
    schema = create_schema().graphql_schema
    documents = {name: text for name, text in vars(dagster_queries).items() if name.isupper()}
    assert len(documents) >= 4
    for name, text in documents.items():
        assert graphql.validate(schema, graphql.parse(text)) == [], name


def test_a_server_that_does_not_answer_raises_unavailable() -> None:
    with DagsterGraphQLClient(f"http://127.0.0.1:{free_port()}", backoff_s=0.01) as client:
        with pytest.raises(DagsterUnavailableError, match="did not answer"):
            client.get_run("any")


@pytest.fixture(scope="module")
def client(dagster_webserver: DagsterWebserver) -> DagsterGraphQLClient:
    with DagsterGraphQLClient(dagster_webserver.base_url) as client:
        yield client


@pytest.mark.slow
def test_live_schema_has_what_the_client_sends(client: DagsterGraphQLClient) -> None:
    query = "query T($name: String!) { __type(name: $name) { inputFields { name } } }"
    fields = {f["name"] for f in client.execute(query, {"name": "JobOrPipelineSelector"})["__type"]["inputFields"]}
    assert {"repositoryLocationName", "repositoryName", "pipelineName", "assetSelection"} <= fields
    with pytest.raises(DagsterQueryError, match="Cannot query field"):
        client.execute("{ noSuchField }")


@pytest.mark.slow
def test_an_unknown_asset_is_named_and_nothing_is_launched(
    client: DagsterGraphQLClient, dagster_webserver: DagsterWebserver
) -> None:
    with open_instance(dagster_webserver) as instance:
        before = instance.get_runs_count()
        with pytest.raises(DagsterAssetNotFoundError, match="orc_test_no_such_asset not defined") as caught:
            client.launch_assets(["raw_docs", "orc_test_no_such_asset"])
        assert caught.value.missing == ["orc_test_no_such_asset"]
        assert instance.get_runs_count() == before


@pytest.mark.slow
def test_invalid_run_config_is_refused_at_launch(client: DagsterGraphQLClient) -> None:
    with pytest.raises(DagsterLaunchError, match="RunConfigValidationInvalid") as caught:
        client.launch_assets(INGEST, run_config={"ops": {"raw_docs": {"config": {"max_file_bytes": "many"}}}})
    assert caught.value.typename == "RunConfigValidationInvalid"


@pytest.mark.slow
def test_a_failed_run_raises_with_its_run_id_status_and_failure(client: DagsterGraphQLClient) -> None:
    # a blocking check that cannot pass (max quarantine ratio below zero) fails the run
    config = IN_PROCESS | {"ops": {"raw_docs_raw_docs_quarantine_ratio": {"config": {"max_ratio": -1.0}}}}
    run_id = client.launch_assets(INGEST, run_config=config)
    with pytest.raises(DagsterRunFailedError) as caught:
        client.wait_for_run(run_id, poll_s=1, timeout_s=600)
    assert caught.value.run_id == run_id and caught.value.status == "FAILURE"
    assert f"Dagster run {run_id} ended FAILURE" in str(caught.value)
    assert "raw_docs_quarantine_ratio" in str(caught.value)

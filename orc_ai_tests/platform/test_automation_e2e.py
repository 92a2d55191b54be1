"""Automation end to end on the deployment instance: dagster-daemon and dagster-webserver on Postgres.

A new document in the input folder re-materialises the chain through to ``reports`` with no one launching a
run (docs_folder_sensor, then default_automation_condition_sensor); then a corrupt batch fails raw_docs's
blocking check and nothing downstream runs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import dagster as dg
import pytest

from orc_ai.ingest.fingerprint import folder_fingerprint
from orc_ai_tests.dagster_deployment import LOCATION, REPOSITORY, DagsterDeployment
from orc_ai_tests.postgres_server import PostgresServer

pytestmark = pytest.mark.slow

# downstream of raw_docs, in the order automation reaches them
CHAIN = ["chunks", "entities", "relations", "embeddings", "neo4j_graph", "communities", "agent_decisions", "reports"]
DOCS = {
    "kafka.md": "# Kafka runbook\n\nWhen consumer lag grows on the orders topic, restart the Kafka broker and check "
    "the Spark job that reads it. The Airflow DAG ingest_orders depends on Kafka.\n",
    "spark.md": "# Spark job notes\n\nThe Spark job daily_revenue reads the orders table from Postgres. An "
    "OutOfMemoryError means the executor memory is too small; raise spark.executor.memory.\n",
}
NEW_DOC = (
    "# Postgres failover\n\nWhen the Postgres primary fails, promote the replica and restart the Airflow scheduler. "
    "The Spark job daily_revenue retries after the failover.\n"
)
# The baseline materialises the operations models once so that automation finds nothing missing (an asset that
# is missing on the sensor's first tick is requested): forecasts on the empirical fallback (no Prophet fits).
# None of them is downstream of raw_docs, so the documents never re-run them. (SDV keeps its default rows: 300
# rows fail its quality gate, and a failing check makes the inbox sensor refresh the agent's events.)
CHEAP_OPERATIONS = {
    "task_duration_forecast": {"min_history_days": 100_000, "backtest_folds": 1, "workers": 1},
    "failure_forecast": {"min_history_days": 100_000, "backtest_folds": 1, "workers": 1},
}
# The documents sensor's ingest run, then one automation run of everything downstream (chunks ... reports, with
# their checks), each one process (the deployment's ORC_AI_EXECUTOR=in_process). On the shared 2-core machine at
# load ~15 the whole test took 11 min; the deadline leaves room for a slower machine.
CHAIN_DEADLINE_S = 1500


def poll(what: str, deadline_s: float, probe: Callable[[], Any], deployment: DagsterDeployment) -> Any:
    """``probe()`` until it returns something truthy; fail with the daemon's log past the deadline."""
    deadline = time.monotonic() + deadline_s
    while True:
        found = probe()
        if found:
            return found
        deployment.check_alive()
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}\n--- daemon.log ---\n{deployment.log_tail('daemon.log')}")
        time.sleep(2)


def materialised_after(instance: dg.DagsterInstance, asset: str, after: float) -> dg.EventLogRecord | None:
    records = instance.fetch_materializations(dg.AssetKey(asset), limit=1).records
    return records[0] if records and records[0].timestamp > after else None


def baseline(instance: dg.DagsterInstance) -> None:
    """Everything materialised once, in this process, on the deployment's instance."""
    from orc_ai.definitions import all_assets, all_checks, build_resources

    result = dg.materialize(
        [*all_assets, *all_checks],
        resources=build_resources(),
        instance=instance,
        run_config={"ops": {op: {"config": config} for op, config in CHEAP_OPERATIONS.items()}},
    )
    failing = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    assert not failing, f"baseline checks fail (the inbox sensor would react to them): {failing}"


@pytest.fixture(scope="module")
def deployment(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[DagsterDeployment, dg.DagsterInstance]]:
    root = tmp_path_factory.mktemp("deployment")
    docs = root / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text)
    deployment = DagsterDeployment(root, postgres_server.database("automation_e2e"), root / "orc_home", docs)
    with pytest.MonkeyPatch.context() as env:
        for name, value in deployment.env.items():
            env.setenv(name, value)
        deployment.prepare_home()
        with dg.DagsterInstance.from_config(str(deployment.dagster_home)) as instance:
            try:
                deployment.spawn_webserver()  # loads the code location while the baseline runs here
                baseline(instance)
                deployment.wait_webserver()
                # the documents sensor starts from the folder as the baseline ingested it
                state = {"fingerprint": folder_fingerprint(docs), "requests": 0}
                deployment.set_sensor_cursor("docs_folder_sensor", json.dumps(state))
                yield deployment, instance
            finally:
                deployment.stop()


def automation_ticks_after(deployment: DagsterDeployment, after: float) -> int:
    data = deployment.graphql(
        """query($selector: SensorSelector!) { sensorOrError(sensorSelector: $selector) {
             ... on Sensor { sensorState { ticks(limit: 10) { timestamp status } } } } }""",
        {
            "selector": {
                "repositoryLocationName": LOCATION,
                "repositoryName": REPOSITORY,
                "sensorName": "default_automation_condition_sensor",
            }
        },
    )
    ticks = data["sensorOrError"]["sensorState"]["ticks"]
    return sum(1 for t in ticks if t["timestamp"] > after and t["status"] in ("SUCCESS", "SKIPPED"))


def test_new_document_flows_to_reports_and_a_corrupt_batch_holds_everything_downstream(
    deployment: tuple[DagsterDeployment, dg.DagsterInstance],
) -> None:
    server, instance = deployment
    docs = server.docs_dir

    # 1. a new document: the daemon (sensors, queue, automation) carries it through to reports
    dropped = time.time()
    (docs / "postgres_failover.md").write_text(NEW_DOC)
    server.start_daemon()

    def chain_done() -> dict[str, dg.EventLogRecord] | None:
        """Every step downstream of the new raw_docs, each after the one before (None until then)."""
        raw = materialised_after(instance, "raw_docs", dropped)
        if raw is None:
            return None
        records = {"raw_docs": raw}
        for asset in CHAIN:
            record = materialised_after(instance, asset, raw.timestamp)
            if record is None:
                return None
            records[asset] = record
        return records

    records = poll("the chain re-materialised through reports", CHAIN_DEADLINE_S, chain_done, server)
    raw = records["raw_docs"]
    assert raw.asset_materialization.metadata["documents"].value == 3
    assert instance.get_run_by_id(raw.run_id).tags.get("dagster/sensor_name") == "docs_folder_sensor"
    for asset in CHAIN:
        run = instance.get_run_by_id(records[asset].run_id)
        assert run.tags.get("dagster/from_automation_condition") == "true", (asset, run.tags)
    for before, after in [("communities", "agent_decisions"), ("agent_decisions", "reports")]:
        assert records[after].timestamp > records[before].timestamp

    # 2. a corrupt batch: most files are binary, raw_docs's quarantine gate fails, nothing downstream runs
    corrupted = time.time()
    for i in range(4):
        (docs / f"dump{i}.md").write_bytes(bytes(range(256)) * 4)
    gate = dg.AssetCheckKey(dg.AssetKey("raw_docs"), "raw_docs_quarantine_ratio")

    def failed_gate() -> Any:
        history = instance.event_log_storage.get_asset_check_execution_history(gate, limit=1)
        if history and history[0].create_timestamp > corrupted and history[0].event is not None:
            evaluation = history[0].event.dagster_event.event_specific_data
            return history[0] if getattr(evaluation, "passed", None) is False else None  # not while planned
        return None

    check = poll("the quarantine gate on the corrupt batch", 300, failed_gate, server)
    run = poll(
        "the failed ingest run to end", 120,
        lambda: (r := instance.get_run_by_id(check.run_id)) and r.is_finished and r, server,
    )
    assert run.status == dg.DagsterRunStatus.FAILURE
    ended = instance.get_run_record_by_id(run.run_id).end_time
    # two automation ticks evaluated the failed gate (the first may have begun before the run ended)
    poll("two automation ticks after the failed gate", 180, lambda: automation_ticks_after(server, ended) >= 2, server)
    for asset in CHAIN:
        assert materialised_after(instance, asset, corrupted) is None, f"{asset} ran after the failed gate"
    downstream = set(CHAIN)
    for record in instance.get_run_records(dg.RunsFilter(created_after=_utc(corrupted))):
        selected = {k.to_user_string() for k in (record.dagster_run.asset_selection or set())}
        assert not selected & downstream, f"a run for {sorted(selected & downstream)} started after the failed gate"


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)

"""The deployment instance (the repo's dagster.yaml) against Dagster's own schema and a real PostgreSQL."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import dagster as dg
import pytest
from dagster._config import process_config
from dagster._core.execution.plan.instance_concurrency_context import InstanceConcurrencyContext
from dagster._core.instance.config import dagster_instance_config
from dagster._core.remote_origin import RegisteredCodeLocationOrigin, RemoteJobOrigin, RemoteRepositoryOrigin
from dagster._core.run_coordinator import QueuedRunCoordinator
from dagster._core.storage.dagster_run import DagsterRun, DagsterRunStatus
from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import QueuedRunCoordinatorDaemon
from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage
from dagster_postgres.storage import DagsterPostgresStorage

from orc_ai import defaults
from orc_ai_tests.postgres_server import PostgresServer, PostgresSettings

REPO = Path(__file__).resolve().parents[2]
SETTINGS = PostgresSettings(host="db.internal", port=6543, db="dagster", username="orc", password="s3cret")


def deployment_home(tmp_path: Path) -> Path:
    """A DAGSTER_HOME whose dagster.yaml is the repo's (linked, as scripts/lib.sh links it)."""
    home = tmp_path / "dagster_home"
    home.mkdir(parents=True)
    (home / "dagster.yaml").symlink_to(REPO / "dagster.yaml")
    return home


def test_dagster_yaml_validates_against_dagsters_schema_with_credentials_from_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in SETTINGS.env.items():
        monkeypatch.setenv(name, value)
    config, _ = dagster_instance_config(str(deployment_home(tmp_path)))
    storage = process_config(DagsterPostgresStorage.config_type(), config["storage"]["postgres"])
    assert storage.success, storage.errors
    db = storage.value["postgres_db"]
    assert (db["hostname"], db["port"], db["db_name"]) == ("db.internal", 6543, "dagster")
    assert (db["username"], db["password"]) == ("orc", "s3cret")
    assert "s3cret" not in (REPO / "dagster.yaml").read_text()  # only env: keys in the file

    coordinator = config["run_coordinator"]
    assert coordinator["class"] == "QueuedRunCoordinator"
    assert process_config(QueuedRunCoordinator.config_type(), coordinator.get("config") or {}).success
    assert config["run_retries"]["enabled"] and config["run_retries"]["max_retries"] >= 1
    assert config["run_monitoring"]["enabled"] and config["telemetry"]["enabled"] is False


def test_dagster_yaml_without_the_password_variable_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in SETTINGS.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DAGSTER_PG_PASSWORD")
    config, _ = dagster_instance_config(str(deployment_home(tmp_path)))
    storage = process_config(DagsterPostgresStorage.config_type(), config["storage"]["postgres"])
    assert not storage.success
    assert "DAGSTER_PG_PASSWORD" in " ".join(e.message for e in storage.errors)


@pytest.fixture(scope="module")
def pg_settings(postgres_server: PostgresServer) -> PostgresSettings:
    return postgres_server.database("instance_tests")


@pytest.fixture
def pg_instance(pg_settings: PostgresSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A DagsterInstance built from the repo's dagster.yaml over the test cluster."""
    for name, value in pg_settings.env.items():
        monkeypatch.setenv(name, value)
    home = deployment_home(tmp_path)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    with dg.DagsterInstance.from_config(str(home)) as instance:
        yield instance


@dg.asset
def tiny_table() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"rows": 3})


def test_instance_stores_a_run_in_postgres_and_reads_it_back(
    pg_instance: dg.DagsterInstance, pg_settings: PostgresSettings, tmp_path: Path
) -> None:
    assert isinstance(pg_instance.run_storage, PostgresRunStorage)
    assert isinstance(pg_instance.event_log_storage, PostgresEventLogStorage)
    assert isinstance(pg_instance.schedule_storage, PostgresScheduleStorage)
    assert isinstance(pg_instance.run_coordinator, QueuedRunCoordinator)

    result = dg.materialize([tiny_table], instance=pg_instance)
    assert result.success

    # a second instance (another process would see the same) reads the run and its materialisation back
    with dg.DagsterInstance.from_config(str(deployment_home(tmp_path / "other"))) as other:
        run = other.get_run_by_id(result.run_id)
        assert run is not None and run.status == DagsterRunStatus.SUCCESS
        record = other.fetch_materializations(dg.AssetKey("tiny_table"), limit=1).records[0]
        assert record.run_id == result.run_id
        assert record.asset_materialization.metadata["rows"].value == 3


@pytest.mark.parametrize("pool", [defaults.LLM_POOL, defaults.NEO4J_WRITE_POOL])
def test_one_step_of_each_pool_runs_at_a_time(pg_instance: dg.DagsterInstance, pool: str) -> None:
    """The pools the LLM-calling and Neo4j-writing steps declare get dagster.yaml's default limit of one slot:
    a step of a second run waits until the first run's step frees it (the step executor's own claim API)."""
    first, second = (DagsterRun(job_name="chain", run_id=str(uuid.uuid4())) for _ in range(2))
    with InstanceConcurrencyContext(pg_instance, first) as running:
        assert running.claim(pool, "step_a")
        with InstanceConcurrencyContext(pg_instance, second) as waiting:
            assert not waiting.claim(pool, "step_b")
            assert pg_instance.event_log_storage.get_concurrency_info(pool).slot_count == 1
            running.free_step("step_a")
            deadline = time.monotonic() + 30  # the waiting step re-checks after its back-off interval
            while not waiting.claim(pool, "step_b"):
                assert time.monotonic() < deadline, f"step_b never got the freed {pool} slot"
                time.sleep(0.2)


def _queued_run(instance: dg.DagsterInstance, tags: dict[str, str]) -> DagsterRun:
    repository = RemoteRepositoryOrigin(RegisteredCodeLocationOrigin("orc_ai"), "__repository__")
    run = DagsterRun(
        job_name="ingest_documents",
        run_id=str(uuid.uuid4()),
        status=DagsterRunStatus.QUEUED,
        tags=tags,
        remote_job_origin=RemoteJobOrigin(repository, "ingest_documents"),
    )
    return instance.add_run(run)


def test_queued_coordinator_dequeues_one_ingest_at_a_time(pg_instance: dg.DagsterInstance) -> None:
    """The daemon's dequeue pass honours dagster.yaml's tag limit: one docs_folder_sensor run in flight."""
    ingest = {"dagster/sensor_name": "docs_folder_sensor"}
    runs = [_queued_run(pg_instance, ingest) for _ in range(3)] + [_queued_run(pg_instance, {})]
    daemon = QueuedRunCoordinatorDaemon(interval_seconds=1)
    try:
        config = pg_instance.get_concurrency_config()
        picked = daemon._get_runs_to_dequeue(pg_instance, config, fixed_iteration_time=None)  # noqa: SLF001
        assert [r.run_id for r in picked] == [runs[0].run_id, runs[3].run_id]

        pg_instance.handle_run_event(  # the first ingest starts: no other ingest may leave the queue
            runs[0].run_id,
            dg.DagsterEvent(dg.DagsterEventType.RUN_START.value, job_name="ingest_documents"),
        )
        picked = daemon._get_runs_to_dequeue(pg_instance, config, fixed_iteration_time=None)  # noqa: SLF001
        assert [r.run_id for r in picked] == [runs[3].run_id]
    finally:
        for run in runs:  # the session's other users of this cluster must not inherit queued runs
            pg_instance.delete_run(run.run_id)

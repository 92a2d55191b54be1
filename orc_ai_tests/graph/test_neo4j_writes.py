"""Parallel writes of the Neo4j store, with a fake driver: how a failing writer stops the others, how deadlock
victims are retried."""

from __future__ import annotations

import threading
import time

import polars as pl
import pytest
from neo4j.exceptions import ClientError, Neo4jError

from orc_ai.errors import GraphStoreError
from orc_ai.graph import neo4j_store
from orc_ai.graph.neo4j_store import Neo4jGraphStore


class FakeDriver:
    """Sessions whose transactions record batch sizes; a batch holding the poison row fails."""

    def __init__(self, poison: str):
        self.poison, self.started, self.failed = poison, threading.Event(), threading.Event()
        self.batches: list[int] = []

    def session(self, database=None):
        return _FakeSession(self)


class _FakeSession:
    def __init__(self, driver: FakeDriver):
        self.driver = driver

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute_write(self, work):
        return work(self)

    def run(self, query, rows):
        if self.driver.poison in rows["id"]:
            self.driver.started.wait(timeout=10)  # fail while a healthy writer is mid-batch
            self.driver.failed.set()
            raise ClientError("poison row")
        self.driver.started.set()
        self.driver.failed.wait(timeout=10)
        time.sleep(0.05)
        self.driver.batches.append(len(rows["id"]))
        return self

    def consume(self):
        return None


def test_a_failing_writer_stops_the_others_after_their_current_batch() -> None:
    rows = pl.DataFrame({"id": [f"n{i}" for i in range(400)]})
    driver = FakeDriver(poison="n0")  # in the first slice; the other writer has 20 batches of 10
    store = Neo4jGraphStore(driver, batch_size=10, write_concurrency=2)
    with pytest.raises(GraphStoreError, match="poison row"):
        store._write_frame("UNWIND $rows AS row MERGE (:N {id: row.id})", rows)
    assert driver.batches == [10]  # the batch in flight; without the stop it would write all 20


def test_a_frame_that_fits_one_batch_is_written_by_one_writer() -> None:
    driver = FakeDriver(poison="none")
    driver.failed.set()  # nothing fails: healthy batches need not wait
    store = Neo4jGraphStore(driver, batch_size=100, write_concurrency=4)
    assert store._write_frame("UNWIND $rows AS row MERGE (:N {id: row.id})", pl.DataFrame({"id": ["a", "b"]})) == 2
    assert driver.batches == [2]


def _deadlock() -> Neo4jError:
    # how the driver builds the error a server sends
    return Neo4jError._hydrate_neo4j(code="Neo.TransientError.Transaction.DeadlockDetected", message="deadlock")


class DeadlockingSession:
    """A session whose first ``deadlocks`` transactions lose a deadlock; later ones record their batch. Its
    ``execute_write`` retries retryable errors as the driver's does, so a deadlock that escapes the transaction
    function as a driver error is counted as a driver retry."""

    def __init__(self, deadlocks: int):
        self.deadlocks, self.attempts, self.driver_retries, self.written = deadlocks, 0, 0, []

    def session(self, database=None):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute_write(self, work):
        while True:
            try:
                return work(self)
            except Neo4jError as exc:
                if not exc.is_retryable():
                    raise
                self.driver_retries += 1

    def run(self, query, rows):
        self.attempts += 1
        if self.attempts <= self.deadlocks:
            raise _deadlock()
        self.written.append(dict(rows))
        return self

    def consume(self):
        return None


def test_a_deadlock_victim_is_retried_by_the_store_not_the_driver(monkeypatch) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(neo4j_store.time, "sleep", sleeps.append)
    driver = DeadlockingSession(deadlocks=3)
    store = Neo4jGraphStore(driver, batch_size=10)
    assert store._write("UNWIND $rows AS row MERGE (:N {id: row.id})", pl.DataFrame({"id": ["a", "b"]})) == 2
    assert driver.written == [{"id": ["a", "b"]}] and driver.driver_retries == 0
    assert len(sleeps) == 3 and all(0 < s < 0.5 for s in sleeps) and sleeps[2] > sleeps[0]  # short, growing


def test_a_batch_that_keeps_losing_deadlocks_fails_with_the_servers_error(monkeypatch) -> None:
    monkeypatch.setattr(neo4j_store.time, "sleep", lambda s: None)
    driver = DeadlockingSession(deadlocks=1000)
    store = Neo4jGraphStore(driver, batch_size=10)
    with pytest.raises(GraphStoreError, match="DeadlockDetected"):
        store._write("UNWIND $rows AS row MERGE (:N {id: row.id})", pl.DataFrame({"id": ["a"]}))
    assert driver.attempts == neo4j_store._DEADLOCK_RETRIES and not driver.written

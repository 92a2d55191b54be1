"""Parallel writes of the Neo4j store, with a fake driver: how a failing writer stops the others."""

from __future__ import annotations

import threading
import time

import polars as pl
import pytest
from neo4j.exceptions import ClientError

from orc_ai.errors import GraphStoreError
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
        if any(row["id"] == self.driver.poison for row in rows):
            self.driver.started.wait(timeout=10)  # fail while a healthy writer is mid-batch
            self.driver.failed.set()
            raise ClientError("poison row")
        self.driver.started.set()
        self.driver.failed.wait(timeout=10)
        time.sleep(0.05)
        self.driver.batches.append(len(rows))
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

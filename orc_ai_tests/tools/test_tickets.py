"""create_ticket: one row per distinct call, however often the call is repeated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orc_ai.errors import ToolUnavailableError
from orc_ai.tools.context import ToolContext
from orc_ai.tools.tickets import read_tickets

TICKET = {
    "title": "load_orders fails with ConnectionError",
    "body": "Third failure today; the runbook says retry once, which did not help.",
    "severity": "high",
    "dag_id": "orders_daily",
    "task_id": "load_orders",
    "cited_chunk_ids": ["c2", "c1"],
}


def test_a_repeated_call_opens_one_ticket(call, tmp_path: Path) -> None:
    path = tmp_path / "tickets.parquet"
    first = call("create_ticket", TICKET, ToolContext(tickets_path=path))
    assert first["created"] is True
    json.dumps(first)
    # a re-run: a new context (as a new run builds), the same call, the citations in another order
    again = call("create_ticket", {**TICKET, "cited_chunk_ids": ["c1", "c2", "c1"]}, ToolContext(tickets_path=path))
    assert again == {**first, "created": False}
    tickets = read_tickets(path)
    assert tickets.height == 1
    row = tickets.row(0, named=True)
    assert row["ticket_id"] == first["ticket_id"]
    assert {k: row[k] for k in TICKET} == {**TICKET, "cited_chunk_ids": ["c1", "c2"]}
    assert row["status"] == "open" and row["created_at"] is not None


def test_a_different_call_opens_another_ticket_and_keeps_the_first(call, tmp_path: Path) -> None:
    path = tmp_path / "tickets.parquet"
    ctx = ToolContext(tickets_path=path)
    first = call("create_ticket", TICKET, ctx)
    second = call("create_ticket", {**TICKET, "severity": "critical"}, ctx)
    minimal = call("create_ticket", {"title": "t", "body": "b"}, ctx)
    assert len({first["ticket_id"], second["ticket_id"], minimal["ticket_id"]}) == 3
    tickets = read_tickets(path).sort("created_at")
    assert tickets["ticket_id"].to_list() == [first["ticket_id"], second["ticket_id"], minimal["ticket_id"]]
    assert tickets.row(2, named=True)["dag_id"] is None and tickets.row(2, named=True)["severity"] == "medium"


def test_without_a_tickets_table_nothing_is_written(call, tmp_path: Path) -> None:
    with pytest.raises(ToolUnavailableError, match="tickets table not configured"):
        call("create_ticket", TICKET, ToolContext())
    assert list(tmp_path.iterdir()) == []


def test_concurrent_writers_lose_no_ticket_and_duplicate_none(call, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "tickets.parquet"
    calls = [TICKET] * 6 + [{**TICKET, "title": f"ticket {i}"} for i in range(10)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda args: call("create_ticket", args, ToolContext(tickets_path=path)), calls))
    assert sum(r["created"] for r in results) == 11
    assert sorted(read_tickets(path)["ticket_id"]) == sorted({r["ticket_id"] for r in results})


def test_the_default_table_is_under_orc_ai_home(orc_home: Path) -> None:
    from orc_ai.tools.tickets import default_tickets_path

    assert default_tickets_path() == orc_home.resolve() / "tickets.parquet"
